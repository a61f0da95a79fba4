package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.CameraWorker;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A live HTTP MJPEG camera, served by the ffmpeg CLI's own HTTP server (multipart JPEG). */
@ExtendWith(KafkaBrokerExtension.class)
class HttpMjpegIT {
  @TempDir Path dir;
  private Process server;

  @AfterEach
  void killServer() throws InterruptedException {
    if (server != null) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void mjpegOverHttpIsIngestedAsALiveCamera(KafkaBroker broker) throws Exception {
    Path clip = dir.resolve("clip.mp4");
    SyntheticVideo.builder(320, 240, 25)
        .add(Segment.pattern(Segment.Pattern.CHECKER, 250).withMovingBox(40, 255, 0, 0))
        .write(clip);
    int port = KafkaBroker.freePort();
    String url = "http://127.0.0.1:" + port + "/cam.mjpg";
    try {
      server =
          new ProcessBuilder(
                  "ffmpeg",
                  "-v",
                  "error",
                  "-re",
                  "-i",
                  clip.toString(),
                  "-c:v",
                  "mjpeg",
                  "-q:v",
                  "5",
                  "-f",
                  "mpjpeg",
                  "-listen",
                  "1",
                  url)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ffmpeg.log").toFile())
              .start();
    } catch (IOException e) {
      server = null;
    }
    assumeTrue(server != null, "skipped: needs the ffmpeg CLI (apt-get install ffmpeg)");
    // No readiness probe: ffmpeg's -listen 1 serves exactly one client. Until it listens, ingest
    // sees "connection refused" and retries with backoff, as with any live camera.

    try (IngestHarness h = new IngestHarness(broker)) {
      IngestService svc =
          h.service(
              List.of(CameraConfig.of("cam-http", url, PipelineSettings.defaults())),
              new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)));
      CameraWorker w = svc.workers().get(0);
      svc.start();
      try {
        Await.until(
            "frames over HTTP, see " + dir,
            Duration.ofSeconds(30),
            () -> w.stats().published() >= 10);
      } finally {
        svc.stop();
        svc.await(null, 1000);
      }
      List<Frame> frames = h.frames().stream().map(ConsumerRecord::value).toList();
      assertTrue(frames.size() >= 10, w.summary());
      for (int i = 1; i < frames.size(); i++) {
        assertEquals(320, frames.get(i).getWidth());
        assertTrue(frames.get(i).getCaptureTimeMicros() > frames.get(i - 1).getCaptureTimeMicros());
      }
    }
  }
}
