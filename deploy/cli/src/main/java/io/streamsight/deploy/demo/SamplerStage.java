package io.streamsight.deploy.demo;

import io.streamsight.sampler.OversizedRecordHandler;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.sampler.SamplerTopology;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** The frame sampler as an in-process Kafka Streams app. */
final class SamplerStage implements Stage {
  private final String bootstrap;
  private final Path stateDir;
  private KafkaStreams streams;

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
    streams =
        new KafkaStreams(
            SamplerTopology.buildTopology(config),
            SamplerTopology.streamsConfig(bootstrap, stateDir, config));
    streams.setUncaughtExceptionHandler(OversizedRecordHandler.uncaughtExceptionHandler());
    streams.start();
  }

  @Override
  public void close() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
    }
  }
}
