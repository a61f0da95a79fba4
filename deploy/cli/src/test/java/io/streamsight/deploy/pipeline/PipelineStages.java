package io.streamsight.deploy.pipeline;

import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.sampler.SamplerTopology;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.vlm.operator.OperatorScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The stages in front of the operator, as the whole-pipeline ITs run them: the real sampler (Kafka
 * Streams) and ingest of a video file, in the test JVM, on the test broker.
 */
final class PipelineStages {
  private PipelineStages() {}

  /** Starts the keyframe sampler; the caller closes it. */
  static KafkaStreams startSampler(String bootstrap, Path stateDir, SamplerConfig config) {
    KafkaStreams sampler =
        new KafkaStreams(
            SamplerTopology.buildTopology(config),
            SamplerTopology.streamsConfig(bootstrap, stateDir, config));
    sampler.start();
    return sampler;
  }

  /** Ingests {@code video} as {@code camera} at {@code fps} (128 px frames) to its end. */
  static void ingestFile(KafkaPublisher publisher, String camera, Path video, double fps)
      throws InterruptedException {
    IngestService ingest =
        new IngestService(
            List.of(
                CameraConfig.of(
                    camera,
                    video.toString(),
                    PipelineSettings.defaults().withFps(fps).withMaxEdge(128))),
            publisher::forCamera,
            Backoff.defaults());
    ingest.start();
    ingest.await(System.out, 10_000);
  }

  /** Capture time of the sampler's first keyframe of {@code camera}, once there is one. */
  static long firstKeyframeCapture(OperatorScenario s, String camera, Duration wait)
      throws Exception {
    return Await.until(
            "the sampler's first keyframe of " + camera,
            wait,
            () -> s.read(Topics.KEYFRAMES.name(), Keyframe.class),
            l -> l.stream().anyMatch(k -> k.getCameraId().equals(camera)))
        .stream()
        .filter(k -> k.getCameraId().equals(camera))
        .mapToLong(Keyframe::getCaptureTimeMicros)
        .min()
        .getAsLong();
  }
}
