package io.streamsight.deploy.pipeline;

import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.vlm.operator.OperatorScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The stages in front of the operator, as the whole-pipeline ITs run them: the real sampler (Kafka
 * Streams) and ingest of a video file, in the test JVM, on the test broker.
 */
final class PipelineStages {
  private PipelineStages() {}

  /**
   * Starts the keyframe sampler as the CLI and the demo run it: the Streams app with its question
   * watch (when {@code config.questions()} is enabled, as by default), so live questions make QUERY
   * keyframes here too. The caller closes it.
   */
  static SamplerApp startSampler(String bootstrap, Path stateDir, SamplerConfig config) {
    SamplerApp sampler = new SamplerApp(bootstrap, stateDir, config);
    sampler.start();
    return sampler;
  }

  /** Ingests {@code video} as {@code camera} at {@code fps} (128 px frames) to its end. */
  static void ingestFile(KafkaPublisher publisher, String camera, Path video, double fps)
      throws InterruptedException {
    startIngest(publisher, camera, video, fps, false).await(System.out, 10_000);
  }

  /**
   * Starts ingesting {@code video} as {@code camera} at {@code fps} (128 px frames); {@code
   * realtime}: paced at its own speed and stamped from the wall clock as it plays, like a live
   * camera (else as fast as it decodes, ending now). The caller awaits or stops it.
   */
  static IngestService startIngest(
      KafkaPublisher publisher, String camera, Path video, double fps, boolean realtime) {
    IngestService ingest =
        new IngestService(
            List.of(
                CameraConfig.of(
                        camera,
                        video.toString(),
                        PipelineSettings.defaults().withFps(fps).withMaxEdge(128))
                    .withRealtime(realtime)),
            publisher::forCamera,
            Backoff.defaults());
    ingest.start();
    return ingest;
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
