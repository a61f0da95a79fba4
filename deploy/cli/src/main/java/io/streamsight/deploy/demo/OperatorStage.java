package io.streamsight.deploy.demo;

import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** The VLM operator job on an in-process Flink MiniCluster. */
final class OperatorStage implements Stage {
  private final String bootstrap;
  private final Path modelDir;
  private final EngineOptions engine;
  private final RemoteModelConfig server;
  private final String restBind;
  private final String metricsHost;
  private final String metricsPorts;
  private JobClient job;

  /**
   * An in-process model. {@code metricsPorts}: the Flink reporter's port range, or null for none.
   */
  OperatorStage(
      String bootstrap,
      Path modelDir,
      EngineOptions engine,
      String restBind,
      String metricsHost,
      String metricsPorts) {
    this.bootstrap = bootstrap;
    this.modelDir = modelDir;
    this.engine = engine;
    this.server = null;
    this.restBind = restBind;
    this.metricsHost = metricsHost;
    this.metricsPorts = metricsPorts;
  }

  /** Every task on an OpenAI-compatible server. */
  OperatorStage(
      String bootstrap,
      RemoteModelConfig server,
      String restBind,
      String metricsHost,
      String metricsPorts) {
    this.bootstrap = bootstrap;
    this.modelDir = null;
    this.engine = EngineOptions.DEFAULT;
    this.server = server;
    this.restBind = restBind;
    this.metricsHost = metricsHost;
    this.metricsPorts = metricsPorts;
  }

  @Override
  public String name() {
    return server != null
        ? "VLM operator (Flink local, model server " + server.baseUrl() + ")"
        : "VLM operator (Flink local, model " + modelDir + ": " + engine + ")";
  }

  @Override
  public void start() throws Exception {
    job =
        OperatorLauncher.start(
            new Launch(
                bootstrap,
                modelDir,
                null,
                Target.LOCAL,
                null,
                "streamsight-demo",
                engine,
                restBind,
                null,
                server,
                metricsHost,
                metricsPorts));
  }

  @Override
  public void close() {
    if (job != null) {
      try {
        job.cancel().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the MiniCluster goes down with the JVM anyway; nothing is left behind
      }
    }
  }
}
