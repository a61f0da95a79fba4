package io.streamsight.deploy.cli;

import io.streamsight.deploy.demo.DemoRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamsight demo}: the embedded default. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on this machine: an in-process Kafka broker, the sampler, the VLM"
          + " operator (Flink local), two example rules and a sample video, with a live feed of"
          + " summaries, alerts, answers and camera status."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--duration", description = "Stop after this long (e.g. 90s); default: Ctrl-C.")
  Duration duration;

  @Option(names = "--out", description = "Also write summaries/alerts/answers .jsonl files here.")
  Path out;

  @Option(
      names = "--source",
      description = "Camera or file URI to ingest instead of the generated sample video.")
  String source;

  // Default: a pulled SmolVLM-256M, else the fixture model.
  @Mixin ModelChoiceOptions model;

  @Option(names = "--data", description = "Keep broker and state data here (default: temporary).")
  Path data;

  @Mixin EngineChoiceOptions engine;

  @Mixin BindOption bind;

  @Mixin MetricsOptions metrics;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--duration must be positive, got " + duration);
    }
    String address = bind.address(spec.commandLine());
    BindOption.warn(
        System.err,
        address,
        java.util.List.of(
            BindOption.KAFKA,
            BindOption.FLINK_REST,
            ConsoleCommand.CONSOLE,
            ConnectCommand.CONNECT_REST));
    ModelChoiceOptions.Choice chosen = model.resolve(spec.commandLine());
    DemoRunner.Options options =
        new DemoRunner.Options(
            chosen.dir(),
            source,
            duration,
            out,
            data,
            engine.variant(),
            engine.provider,
            engine.tensorRtFp16,
            address,
            chosen.server(),
            metrics.bind(spec.commandLine()),
            metrics.port(MetricsOptions.DEMO));
    return new DemoRunner(options, System.out).run();
  }
}
