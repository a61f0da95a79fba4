package io.streamsight.deploy.cli;

import io.streamsight.deploy.bench.ServeBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight bench serve}: serve over HTTP vs the engine in-process, same requests. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Requests/s and p50 latency of 'streamsight serve' called with the OpenAI client, side by"
            + " side with the same requests submitted in-process to the same batching service"
            + " (fixture model, shipped defaults, rounds alternating). One JSON line per row.")
final class ServeBenchCommand implements Callable<Integer> {
  @Option(
      names = "--requests",
      defaultValue = "400",
      description = "Requests per side and round (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      description = "Requests in flight on each side (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Rounds, alternating which side goes first (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (requests < 1 || concurrency < 1 || rounds < 1) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--requests, --concurrency and --rounds must be >= 1");
    }
    new ServeBenchmark(System.out, requests, concurrency, rounds).run();
    return 0;
  }
}
