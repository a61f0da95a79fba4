package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.CameraWorker;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.log.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A camera URL with a password FFmpeg cannot reach (a closed port on loopback): FFmpeg's error
 * quotes the whole URL, and neither the compacted {@code cameras.status} topic nor the log may
 * receive the password.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CameraCredentialsIT {
  // '@' and ':' inside the password: FFmpeg still finds the host (last '@' before the path), and
  // a naive "up to the first @" redaction would leave "ss:w0rd-Z9" behind.
  private static final String PASSWORD = "p@ss:w0rd-Z9";

  @Test
  void neitherStatusNorLogShowsThePassword(KafkaBroker broker) throws Exception {
    int closedPort = KafkaBroker.freePort(); // nobody listens: connection refused
    String uri = "rtsp://admin:" + PASSWORD + "@127.0.0.1:" + closedPort + "/live";
    try (CapturedLog log = CapturedLog.start();
        IngestHarness h = new IngestHarness(broker)) {
      IngestService svc =
          h.service(
              List.of(CameraConfig.of("cam-secret", uri, PipelineSettings.defaults())),
              new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
      CameraWorker w = svc.workers().get(0);
      svc.start();
      try {
        Await.until(
            "two failed connection attempts: " + w.summary(),
            Duration.ofSeconds(60),
            () -> w.stats().reconnects() >= 2);
      } finally {
        svc.stop();
        svc.await(null, 1000);
      }

      List<CameraStatus> statuses = h.statuses().stream().map(ConsumerRecord::value).toList();
      CameraStatus failed =
          statuses.stream()
              .filter(s -> s.getState() == CameraState.RECONNECTING)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no RECONNECTING status in " + statuses));
      assertTrue(failed.getError() != null && !failed.getError().isBlank(), failed.toString());
      assertEquals("rtsp://***@127.0.0.1:" + closedPort + "/live", failed.getUri());
      for (CameraStatus s : statuses) {
        assertFalse(s.toString().contains(PASSWORD), s.toString());
        assertFalse(s.toString().contains("w0rd"), s.toString());
      }
      String logged = log.text();
      assertTrue(logged.contains("cam-secret"), "the failures were logged: " + logged);
      assertFalse(logged.contains(PASSWORD), logged);
      assertFalse(logged.contains("w0rd"), logged);
      assertFalse(w.summary().contains("w0rd"), w.summary());
    }
  }
}
