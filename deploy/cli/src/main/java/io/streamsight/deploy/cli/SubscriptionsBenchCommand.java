package io.streamsight.deploy.cli;

import io.streamsight.deploy.bench.SubscriptionBenchmark;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight bench subscriptions}: webhook delivery via Connect vs a plain consumer. */
@Command(
    name = "subscriptions",
    mixinStandardHelpOptions = true,
    description =
        "Webhook deliveries/s per Connect task and added latency, side by side with a plain Kafka"
            + " consumer that POSTs the same signed records (embedded broker, local receiver).")
final class SubscriptionsBenchCommand implements Callable<Integer> {
  @Option(
      names = "--backlog",
      defaultValue = "20000",
      description = "Alerts for the throughput runs (default: ${DEFAULT-VALUE}).")
  int backlog;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "Alerts/s for the latency runs (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--latency-run",
      defaultValue = "20s",
      description = "Length of each latency run (default: ${DEFAULT-VALUE}).")
  Duration latencyRun;

  @Override
  public Integer call() throws Exception {
    new SubscriptionBenchmark(System.out, backlog, rate, latencyRun).run();
    return 0;
  }
}
