package io.streamsight.deploy.cli;

import io.streamsight.deploy.cluster.ClusterOptions;
import io.streamsight.deploy.cluster.ClusterSpec;
import io.streamsight.deploy.cluster.ClusterUp;
import io.streamsight.deploy.cluster.Distribution;
import io.streamsight.vlm.model.ModelVariant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamsight cluster up}. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the local cluster (idempotent: running processes are kept).",
      "Returns once every process is ready; they keep running until 'cluster down'."
    })
public final class ClusterUpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = ".streamsight/cluster",
      description = "Cluster directory: pids, logs, data (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--source", description = "Camera or video URI to ingest (none: no ingest).")
  String source;

  @Option(
      names = "--camera",
      defaultValue = "cam-1",
      description = "Camera id of --source (default: ${DEFAULT-VALUE}).")
  String camera;

  // Default: the fixture model.
  @Mixin ModelChoiceOptions model;

  @Mixin EngineChoiceOptions engine;

  @Option(names = "--brokers", defaultValue = "3", description = "Kafka nodes (default: 3).")
  int brokers;

  @Option(
      names = "--taskmanagers",
      defaultValue = "2",
      description = "Flink TaskManagers (default: 2).")
  int taskManagers;

  @Option(
      names = "--slots",
      defaultValue = "2",
      description = "Slots per TaskManager (default: 2).")
  int slots;

  @Option(names = "--samplers", defaultValue = "2", description = "Sampler instances (default: 2).")
  int samplers;

  @Option(
      names = "--taskmanager-memory",
      defaultValue = "1280m",
      description = "Process memory per TaskManager (default: ${DEFAULT-VALUE}).")
  String tmMemory;

  @Option(
      names = "--stages",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true", // without it picocli inverts a true-by-default negatable option
      description = "Start ingest, samplers and the operator job (default: ${DEFAULT-VALUE}).")
  boolean stages;

  @Option(
      names = "--timeout",
      defaultValue = "3m",
      description = "Readiness timeout per step (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @CommandLine.Mixin BindOption bind;

  @Override
  public Integer call() throws Exception {
    String address = bind.address(spec.commandLine());
    ModelChoiceOptions.Choice chosen = model.resolve(spec.commandLine());
    ClusterOptions options =
        new ClusterOptions(
            dir,
            source,
            camera,
            chosen.dir(),
            brokers,
            taskManagers,
            slots,
            samplers,
            "768m",
            tmMemory,
            stages,
            timeout,
            engine.toEngineOptions(ModelVariant.FP32),
            address,
            chosen.server());
    ClusterSpec up =
        new ClusterUp(options, Distribution.current(), commands(spec.root()), System.out).run();
    // What is open is what the cluster was first brought up with (kept like its ports).
    BindOption.warn(System.err, up.bindAddress(), List.of(BindOption.KAFKA, BindOption.FLINK_REST));
    return 0;
  }

  /**
   * Every command of this build ({@code "model"} and {@code "model fixture"} alike) with the option
   * names it declares, so {@code up} starts only the stages this build can run.
   */
  public static Map<String, Set<String>> commands(CommandLine.Model.CommandSpec root) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    collect("", root, out);
    return out;
  }

  private static void collect(
      String prefix, CommandLine.Model.CommandSpec spec, Map<String, Set<String>> out) {
    spec.subcommands()
        .forEach(
            (name, cl) -> {
              String key = prefix.isEmpty() ? name : prefix + " " + name;
              out.put(
                  key,
                  cl.getCommandSpec().options().stream()
                      .flatMap(o -> java.util.Arrays.stream(o.names()))
                      .collect(Collectors.toSet()));
              collect(key, cl.getCommandSpec(), out);
            });
  }
}
