package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live RTSP camera served by a real RTSP server (GStreamer's gst-rtsp-server, see {@code
 * rtsp_server.py}) that is killed and restarted: ingest must notice, report the outage on the
 * status topic, reconnect with backoff and resume publishing in a new session.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RtspReconnectIT {
  private static final String PYTHON =
      Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  @TempDir Path dir;
  private Process server;

  @AfterEach
  void killServer() throws InterruptedException {
    if (server != null) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void reconnectsAfterTheServerRestartsAndReportsTheOutage(KafkaBroker broker) throws Exception {
    assumeTrue(
        rtspServerAvailable(),
        "skipped: needs a real RTSP server: apt-get install python3-gi gir1.2-gst-rtsp-server-1.0"
            + " gstreamer1.0-plugins-good gstreamer1.0-plugins-bad");
    Path clip = dir.resolve("live.mp4");
    SyntheticVideo.builder(320, 240, 25)
        .add(Segment.pattern(Segment.Pattern.BARS, 250).withMovingBox(40, 255, 255, 0))
        .write(clip);
    int port = KafkaBroker.freePort();
    server = startServer(port, clip);
    String uri = "rtsp://127.0.0.1:" + port + "/live";
    try (IngestHarness h = new IngestHarness(broker)) {
      IngestService svc =
          h.service(
              List.of(CameraConfig.of("cam-rtsp", uri, PipelineSettings.defaults())),
              new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)));
      CameraWorker w = svc.workers().get(0);
      svc.start();
      try {
        Await.until(
            "first frames over RTSP: " + w.summary(),
            Duration.ofSeconds(30),
            () -> w.stats().published() >= 5);
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Await.until(
            "a reconnect attempt: " + w.summary(),
            Duration.ofSeconds(30),
            () -> w.stats().reconnects() >= 1);
        long beforeRestart = w.stats().published();
        server = startServer(port, clip);
        Await.until(
            "frames after the restart: " + w.summary(),
            Duration.ofSeconds(30),
            () -> w.stats().published() >= beforeRestart + 5);
        assertEquals(CameraWorker.Outcome.RUNNING, w.outcome(), w.summary());
      } finally {
        svc.stop();
        svc.await(null, 1000);
      }

      List<CameraStatus> statuses = h.statuses().stream().map(ConsumerRecord::value).toList();
      List<CameraState> states = new ArrayList<>();
      for (CameraStatus s : statuses) {
        if (states.isEmpty() || states.get(states.size() - 1) != s.getState()) {
          states.add(s.getState());
        }
      }
      int outage = states.indexOf(CameraState.RECONNECTING);
      assertTrue(outage > 0 && states.get(outage - 1) == CameraState.ONLINE, states.toString());
      assertTrue(
          states.subList(outage, states.size()).contains(CameraState.ONLINE), states.toString());
      CameraStatus down =
          statuses.stream().filter(s -> s.getState() == CameraState.RECONNECTING).findFirst().get();
      assertTrue(down.getError() != null && !down.getError().isBlank(), down.toString());
      assertEquals(CameraState.OFFLINE, statuses.get(statuses.size() - 1).getState());

      List<Frame> frames = h.frames().stream().map(ConsumerRecord::value).toList();
      assertEquals(w.stats().published(), frames.size());
      Frame first = frames.get(0);
      Frame last = frames.get(frames.size() - 1);
      assertNotEquals(
          first.getIngestSessionId(), last.getIngestSessionId(), "new session after reconnect");
      for (int i = 1; i < frames.size(); i++) {
        assertTrue(frames.get(i).getCaptureTimeMicros() > frames.get(i - 1).getCaptureTimeMicros());
      }
    }
  }

  private Process startServer(int port, Path clip) throws Exception {
    Path script = dir.resolve("rtsp_server.py");
    if (!Files.exists(script)) {
      try (InputStream in = getClass().getResourceAsStream("/rtsp_server.py")) {
        Files.copy(in, script);
      }
    }
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port), clip.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rtsp-server-" + System.nanoTime() + ".log").toFile())
            .start();
    // Ready when the port accepts connections.
    Await.until(
        "RTSP server to listen on " + port,
        Duration.ofSeconds(30),
        () -> {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
          } catch (IOException e) {
            return !p.isAlive();
          }
        });
    assertTrue(p.isAlive(), "RTSP server exited, see logs in " + dir);
    return p;
  }

  private static boolean rtspServerAvailable() {
    try {
      Process p =
          new ProcessBuilder(
                  PYTHON,
                  "-c",
                  "import gi; gi.require_version('GstRtspServer', '1.0');"
                      + " from gi.repository import GstRtspServer")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
