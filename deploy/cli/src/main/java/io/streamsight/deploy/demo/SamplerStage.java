package io.streamsight.deploy.demo;

import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import java.nio.file.Path;
import java.time.Duration;

/** The frame sampler as an in-process Kafka Streams app. */
final class SamplerStage implements Stage {
  private final String bootstrap;
  private final Path stateDir;
  private SamplerApp app;

  SamplerStage(String bootstrap, Path stateDir) {
    this.bootstrap = bootstrap;
    this.stateDir = stateDir;
  }

  @Override
  public String name() {
    return "frame sampler (Kafka Streams)";
  }

  @Override
  public void start() {
    SamplerConfig config = SamplerConfig.standard();
    // With the question watch: the demo's questions make the camera's next frame a keyframe.
    app = new SamplerApp(bootstrap, stateDir, config);
    app.start();
  }

  @Override
  public void close() {
    if (app != null) {
      app.close(Duration.ofSeconds(10));
    }
  }
}
