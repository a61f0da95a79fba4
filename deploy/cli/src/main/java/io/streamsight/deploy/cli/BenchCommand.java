package io.streamsight.deploy.cli;

import io.streamsight.deploy.bench.FrameSerdeBenchmark;
import java.util.Collection;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight bench ...}: benchmarks that report side-by-side ratios in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (each compares against a reference in the same run).",
    subcommands = {
      BenchCommand.Serde.class,
      SubscriptionsBenchCommand.class,
      ServeBenchCommand.class,
      CapacityBenchCommand.class,
      BenchCommand.Ask.class
    })
public final class BenchCommand {

  @Command(
      name = "ask",
      mixinStandardHelpOptions = true,
      description =
          "streamsight ask as a user sees it: the real CLI in a child JVM against a live"
              + " one-camera pipeline in this JVM (command start -> answer printed, p50/p99),"
              + " beside the same question asked in-process.")
  static final class Ask implements Callable<Integer> {
    @Option(
        names = "--runs",
        defaultValue = "10",
        description = "CLI runs (and in-process questions) (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--warmup",
        defaultValue = "3",
        description = "In-process questions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws Exception {
      return new io.streamsight.deploy.bench.AskCliBenchmark(runs, warmup, System.out).run();
    }
  }

  @Command(
      name = "serde",
      mixinStandardHelpOptions = true,
      description = "Frame Avro serde (100 KB JPEG) vs raw byte[] copy, with JMH.")
  static final class Serde implements Callable<Integer> {
    @Option(names = "--quick", description = "Short run (1 fork, 2+3 short iterations).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
      Options opts =
          new OptionsBuilder()
              .include(FrameSerdeBenchmark.class.getName())
              .forks(1)
              .warmupIterations(quick ? 2 : 5)
              .warmupTime(TimeValue.seconds(quick ? 1 : 2))
              .measurementIterations(quick ? 3 : 10)
              .measurementTime(TimeValue.seconds(quick ? 1 : 2))
              .build();
      Collection<RunResult> results = new Runner(opts).run();
      double avro = score(results, "avroRoundTrip");
      double raw = score(results, "rawCopyRoundTrip");
      FrameSerdeBenchmark b = new FrameSerdeBenchmark();
      b.jpegBytes = 102_400;
      b.setup();
      double mb = b.encodedSize() / 1e6;
      System.out.printf(
          "%nFrame serde round trip: %.0f records/s (%.0f MB/s); raw byte[] copy: %.0f records/s"
              + " (%.0f MB/s); ratio avro/raw = %.2f%n",
          avro, avro * mb, raw, raw * mb, avro / raw);
      return 0;
    }

    private static double score(Collection<RunResult> results, String method) {
      return results.stream()
          .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
          .findFirst()
          .orElseThrow()
          .getPrimaryResult()
          .getScore();
    }
  }
}
