package io.streamsight.deploy.demo;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.metrics.CameraLabels;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.sampler.SamplerMetrics;
import java.nio.file.Path;
import java.time.Duration;

/** The frame sampler as an in-process Kafka Streams app. */
final class SamplerStage implements Stage {
  private final String bootstrap;
  private final Path stateDir;
  private SamplerApp app;
  private final PrometheusRegistry registry;

  /** {@code registry}: where its metrics go, or null for none. */
  SamplerStage(String bootstrap, Path stateDir, PrometheusRegistry registry) {
    this.bootstrap = bootstrap;
    this.stateDir = stateDir;
    this.registry = registry;
  }

  @Override
  public String name() {
    return "frame sampler (Kafka Streams)";
  }

  @Override
  public void start() {
    SamplerConfig config = SamplerConfig.standard();
    // With the question watch: the demo's questions make the camera's next frame a keyframe.
    app =
        new SamplerApp(
            bootstrap,
            stateDir,
            config,
            registry == null
                ? SamplerMetrics.NONE
                : SamplerMetrics.prometheus(registry, new CameraLabels()));
    if (registry != null) {
      SamplerMetrics.registerStreams(registry, app);
    }
    app.start();
  }

  @Override
  public void close() {
    if (app != null) {
      app.close(Duration.ofSeconds(10));
    }
  }
}
