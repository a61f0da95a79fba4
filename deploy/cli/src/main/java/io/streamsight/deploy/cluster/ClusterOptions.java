package io.streamsight.deploy.cluster;

import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code cluster up} was asked for, parsed once by the CLI.
 *
 * @param dir cluster directory (pids, logs, data)
 * @param source camera or file URI for ingest; {@code null} = no ingest process
 * @param camera camera id (Kafka key) of {@code source}
 * @param model model directory for the operator; {@code null} = the fixture model
 * @param brokers number of Kafka nodes (3 for RF 3 / min ISR 2)
 * @param taskManagers number of Flink TaskManagers
 * @param slots task slots per TaskManager
 * @param samplers number of sampler instances
 * @param stages start ingest, samplers and the operator job (false = Kafka and Flink only)
 * @param readyTimeout how long each readiness step may take
 * @param engine variant, provider and TensorRT fp16 the operator job loads the model with
 * @param bind where Kafka's client listeners and Flink's REST endpoint listen (loopback unless
 *     {@code --bind}); fixed at the first {@code up}, like the ports
 * @param server the operator's model on an OpenAI-compatible server ({@code --model
 *     http(s)://...}), instead of {@code model}; null = {@code model}
 */
public record ClusterOptions(
    Path dir,
    String source,
    String camera,
    Path model,
    int brokers,
    int taskManagers,
    int slots,
    int samplers,
    String jobManagerMemory,
    String taskManagerMemory,
    boolean stages,
    Duration readyTimeout,
    EngineOptions engine,
    String bind,
    RemoteModelConfig server) {

  /** An in-process model ({@code model}, or the fixture). */
  public ClusterOptions(
      Path dir,
      String source,
      String camera,
      Path model,
      int brokers,
      int taskManagers,
      int slots,
      int samplers,
      String jobManagerMemory,
      String taskManagerMemory,
      boolean stages,
      Duration readyTimeout,
      EngineOptions engine,
      String bind) {
    this(
        dir,
        source,
        camera,
        model,
        brokers,
        taskManagers,
        slots,
        samplers,
        jobManagerMemory,
        taskManagerMemory,
        stages,
        readyTimeout,
        engine,
        bind,
        null);
  }

  public ClusterOptions {
    bind = bind == null ? ClusterSpec.LOOPBACK : bind;
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(engine, "engine");
    if (brokers < 1 || taskManagers < 1 || slots < 1 || samplers < 0) {
      throw new IllegalArgumentException(
          "--brokers, --taskmanagers and --slots must be >= 1, --samplers >= 0");
    }
  }

  /** With the engine's defaults (fp32, {@code auto} provider), on loopback. */
  public ClusterOptions(
      Path dir,
      String source,
      String camera,
      Path model,
      int brokers,
      int taskManagers,
      int slots,
      int samplers,
      String jobManagerMemory,
      String taskManagerMemory,
      boolean stages,
      Duration readyTimeout) {
    this(
        dir,
        source,
        camera,
        model,
        brokers,
        taskManagers,
        slots,
        samplers,
        jobManagerMemory,
        taskManagerMemory,
        stages,
        readyTimeout,
        EngineOptions.DEFAULT,
        ClusterSpec.LOOPBACK);
  }

  /** Defaults of {@code cluster up}: 3 brokers, 1 JM + 2 TMs, 2 samplers. */
  public static ClusterOptions defaults(Path dir) {
    return new ClusterOptions(
        dir, null, "cam-1", null, 3, 2, 2, 2, "768m", "1280m", true, Duration.ofMinutes(3));
  }

  public ClusterOptions withStages(boolean stages) {
    return new ClusterOptions(
        dir,
        source,
        camera,
        model,
        brokers,
        taskManagers,
        slots,
        samplers,
        jobManagerMemory,
        taskManagerMemory,
        stages,
        readyTimeout,
        engine,
        bind,
        server);
  }
}
