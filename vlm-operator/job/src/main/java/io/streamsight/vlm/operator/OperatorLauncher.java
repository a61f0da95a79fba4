package io.streamsight.vlm.operator;

import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.inference.RemoteModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.metrics.ReporterConfig;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator job with the Kafka topics: on an in-process MiniCluster ({@link Target#LOCAL}),
 * submitted to a running Flink cluster ({@link Target#REMOTE}), or in whatever environment Flink
 * provides ({@link Target#CONTEXT}: {@code flink run}, application mode).
 */
public final class OperatorLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorLauncher.class);

  /** Where the job runs. */
  public enum Target {
    LOCAL,
    REMOTE,
    CONTEXT
  }

  /**
   * @param jobManager {@code host:port} of the Flink REST endpoint, for {@link Target#REMOTE}
   * @param configFile operator.yaml, or null for the defaults
   * @param jobName also the consumer group and transactional-id prefix: one name per running job
   * @param engine weights variant and execution provider every TaskManager loads the model with
   * @param restBind for {@link Target#LOCAL}: the address of the MiniCluster's REST endpoint (web
   *     UI, job submission: whoever reaches it can run code here), {@link #LOOPBACK} unless opened
   *     on purpose; RPC, blob server and data exchange always stay on loopback
   * @param savepoint savepoint (or retained checkpoint) to start from, or null: for {@link
   *     Target#LOCAL} and {@link Target#REMOTE} ({@code flink run -s} does it for the context)
   * @param modelDir the in-process model {@code --model DIR} (the model named {@code default}), or
   *     null
   * @param server the model server {@code --model http(s)://host/v1} (named {@code default}), or
   *     null; at most one of the two, and none when {@code operator.yaml} declares every model
   * @param metricsHost for {@link Target#LOCAL}: the address of the Prometheus reporter ({@link
   *     #LOOPBACK} when null)
   * @param metricsPorts for {@link Target#LOCAL}: the reporter's port or range ("9403",
   *     "9403-9410"), or null for no reporter; a cluster's own config says for the others
   */
  public record Launch(
      String bootstrap,
      Path modelDir,
      Path configFile,
      Target target,
      String jobManager,
      String jobName,
      EngineOptions engine,
      String restBind,
      String savepoint,
      RemoteModelConfig server,
      String metricsHost,
      String metricsPorts) {
    public Launch {
      Objects.requireNonNull(bootstrap, "bootstrap");
      Objects.requireNonNull(target, "target");
      if (modelDir != null && server != null) {
        throw new IllegalArgumentException("--model: a directory or a server URL, not both");
      }
      Objects.requireNonNull(engine, "engine");
      jobName = jobName == null ? "streamsight-vlm-operator" : jobName;
      restBind = restBind == null || restBind.isBlank() ? LOOPBACK : restBind.trim();
      metricsHost = metricsHost == null || metricsHost.isBlank() ? LOOPBACK : metricsHost.trim();
      metricsPorts = metricsPorts == null || metricsPorts.isBlank() ? null : metricsPorts.trim();
      if (target == Target.REMOTE && (jobManager == null || !jobManager.contains(":"))) {
        throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got " + jobManager);
      }
    }

    /** An in-process model from {@code modelDir}. */
    public Launch(
        String bootstrap,
        Path modelDir,
        Path configFile,
        Target target,
        String jobManager,
        String jobName,
        EngineOptions engine,
        String restBind,
        String savepoint) {
      this(
          bootstrap,
          modelDir,
          configFile,
          target,
          jobManager,
          jobName,
          engine,
          restBind,
          savepoint,
          null,
          null,
          null);
    }

    /** The same with the Prometheus reporter on {@code host}:{@code ports} (null = none). */
    public Launch withMetrics(String host, String ports) {
      return new Launch(
          bootstrap,
          modelDir,
          configFile,
          target,
          jobManager,
          jobName,
          engine,
          restBind,
          savepoint,
          server,
          host,
          ports);
    }

    /** Everything on loopback, no savepoint. */
    public Launch(
        String bootstrap,
        Path modelDir,
        Path configFile,
        Target target,
        String jobManager,
        String jobName,
        EngineOptions engine) {
      this(bootstrap, modelDir, configFile, target, jobManager, jobName, engine, LOOPBACK, null);
    }
  }

  public static final String LOOPBACK = "127.0.0.1";

  private OperatorLauncher() {}

  /**
   * Builds and starts the job. For a local run this returns once the job is running (the caller
   * waits on the client); a remote submission returns as soon as the cluster accepted the job.
   */
  public static JobClient start(Launch l) throws Exception {
    // Checked here, where a bad choice is one line on the console, rather than on every
    // TaskManager, where it would fail and restart the job over and over.
    if (l.modelDir() != null) {
      try {
        VlmEngine.check(l.modelDir(), l.engine().variant());
      } catch (ModelLoadException e) {
        throw new IllegalArgumentException("--model: " + e.getMessage(), e);
      }
    }
    OperatorConfig config =
        l.configFile() == null ? OperatorConfig.defaults() : OperatorConfig.load(l.configFile());
    Models models = Models.of(config, defaultModel(l));
    for (var e : config.models().entrySet()) {
      if (e.getValue().engine() != null) {
        try {
          VlmEngine.check(Path.of(e.getValue().engine().dir()), e.getValue().engine().variant());
        } catch (ModelLoadException x) {
          throw new IllegalArgumentException(
              "models." + e.getKey() + ".engine.dir: " + x.getMessage(), x);
        }
      }
    }
    StreamExecutionEnvironment env =
        switch (l.target()) {
          case LOCAL -> StreamExecutionEnvironment.createLocalEnvironment(localConfig(l));
          case CONTEXT -> StreamExecutionEnvironment.getExecutionEnvironment();
          case REMOTE -> {
            String[] hp = l.jobManager().split(":", 2);
            yield StreamExecutionEnvironment.createRemoteEnvironment(
                hp[0], Integer.parseInt(hp[1]), restoreConfig(l), userJars());
          }
        };
    var io = KafkaOperatorIo.create(l.bootstrap(), l.jobName(), config.checkpointInterval());
    JobClient client = new VlmOperatorJob(config, models, io).start(env, l.jobName());
    LOG.info(
        "Started {} ({}, models {}) as job {}",
        l.jobName(),
        l.target(),
        describe(l, models),
        client.getJobID());
    return client;
  }

  /** The model named {@code default}: {@code --model}, or null when none was given. */
  static ModelProvider defaultModel(Launch l) {
    if (l.modelDir() != null) {
      // The model directory must exist at the same path on every TaskManager (shared volume or
      // image); only the path travels with the job.
      return new EngineModelProvider(l.modelDir().toAbsolutePath().toString(), l.engine(), 0);
    }
    return l.server() == null ? null : new RemoteModelProvider(l.server());
  }

  private static String describe(Launch l, Models models) {
    StringBuilder b = new StringBuilder();
    for (String n : models.names()) {
      b.append(b.isEmpty() ? "" : ", ").append(n).append(": ").append(models.provider(n).key());
    }
    return b.toString();
  }

  /**
   * The MiniCluster's network settings. Flink's defaults bind the REST endpoint and the blob server
   * to the wildcard address, and the REST endpoint accepts jar uploads and job submissions: on a
   * laptop in a café that is remote code execution. Every listener goes to loopback; only the REST
   * endpoint may be opened ({@code --bind}).
   */
  public static Configuration localConfig(Launch l) {
    Configuration c = restoreConfig(l);
    c.set(JobManagerOptions.ADDRESS, LOOPBACK);
    c.set(JobManagerOptions.BIND_HOST, LOOPBACK); // RPC and the blob server
    c.set(TaskManagerOptions.HOST, LOOPBACK);
    c.set(TaskManagerOptions.BIND_HOST, LOOPBACK); // RPC and the data exchange (Netty)
    c.set(RestOptions.BIND_ADDRESS, l.restBind());
    c.set(RestOptions.ADDRESS, wildcard(l.restBind()) ? LOOPBACK : l.restBind());
    if (l.metricsPorts() != null) {
      ReporterConfig.apply(c, l.metricsHost(), l.metricsPorts());
    }
    // And no jar uploads through it (the web UI's submit page), whatever it is bound to.
    c.set(WebOptions.SUBMIT_ENABLE, false);
    return c;
  }

  private static Configuration restoreConfig(Launch l) {
    Configuration c = new Configuration();
    if (l.savepoint() != null) {
      c.set(StateRecoveryOptions.SAVEPOINT_PATH, l.savepoint());
      LOG.info("{} starts from savepoint {}", l.jobName(), l.savepoint());
    }
    return c;
  }

  static boolean wildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
  }

  /**
   * The jars a remote cluster needs: our classpath minus what every Flink installation already has
   * (Flink's own runtime, logging), which would otherwise clash with the cluster's copies.
   */
  static String[] userJars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.endsWith(".jar"))
        .filter(
            p -> {
              String n = Path.of(p).getFileName().toString();
              boolean flinkCore = n.startsWith("flink-") && !n.startsWith("flink-connector-");
              return !flinkCore
                  && !n.startsWith("log4j-")
                  && !n.startsWith("slf4j-")
                  && !n.startsWith("scala-");
            })
        .toArray(String[]::new);
  }
}
