package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.Segment.Pattern;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.embedded.video.SyntheticVideo.VideoInfo;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.CameraWorker;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** File sources through real FFmpeg into the real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class FileIngestIT {
  @TempDir static Path dir;
  static VideoInfo mp4;
  static VideoInfo ts;

  @BeforeAll
  static void writeVideos() throws Exception {
    // 6 s at 25 fps: red, checkerboard, colour bars with a moving box; 2 s each.
    SyntheticVideo video =
        SyntheticVideo.builder(320, 240, 25)
            .add(Segment.solid(200, 30, 30, 50))
            .add(Segment.pattern(Pattern.CHECKER, 50))
            .add(Segment.pattern(Pattern.BARS, 50).withMovingBox(48, 0, 0, 255))
            .build();
    mp4 = video.write(dir.resolve("clip.mp4"));
    ts = video.write(dir.resolve("clip.ts"));
  }

  @Test
  void fileIsPublishedAtTheTargetFpsAndEndsWithStatus(KafkaBroker broker) throws Exception {
    try (IngestHarness h = new IngestHarness(broker)) {
      IngestService svc =
          h.service(
              List.of(
                  CameraConfig.of("cam-file", mp4.path().toString(), PipelineSettings.defaults())),
              Backoff.defaults());
      svc.start();
      svc.await(null, 1000);
      CameraWorker w = svc.workers().get(0);
      assertEquals(CameraWorker.Outcome.ENDED, w.outcome(), w.summary());
      assertEquals(150, w.stats().decoded() + w.stats().skippedByDecode(), w.summary());

      List<ConsumerRecord<String, Frame>> records = h.frames();
      assertEquals(30, records.size(), 1.0, "6 s at 5 fps");
      assertEquals(w.stats().published(), records.size());
      Frame prev = null;
      for (ConsumerRecord<String, Frame> r : records) {
        Frame f = r.value();
        assertEquals("cam-file", r.key());
        assertEquals(320, f.getWidth());
        assertEquals(240, f.getHeight());
        if (prev != null) {
          assertEquals(prev.getSequence() + 1, f.getSequence());
          assertTrue(f.getCaptureTimeMicros() > prev.getCaptureTimeMicros());
          assertEquals(200_000, f.getPtsMicros() - prev.getPtsMicros(), 1_000);
          assertEquals(prev.getIngestSessionId(), f.getIngestSessionId());
        }
        prev = f;
      }
      BufferedImage img =
          ImageIO.read(new ByteArrayInputStream(records.get(20).value().getJpeg().array()));
      assertEquals(320, img.getWidth());
      assertEquals(240, img.getHeight());

      // Frames 1..8 are the red segment (static), 11..18 the checkerboard, 21..29 the bars.
      long redHash = records.get(2).value().getFeatures().getDhash();
      assertEquals(redHash, records.get(7).value().getFeatures().getDhash());
      assertEquals(
          records.get(12).value().getFeatures().getDhash(),
          records.get(17).value().getFeatures().getDhash());
      assertNotEquals(redHash, records.get(12).value().getFeatures().getDhash());
      assertNotEquals(
          records.get(12).value().getFeatures().getDhash(),
          records.get(25).value().getFeatures().getDhash());

      List<CameraState> states =
          h.statuses().stream().map(r -> r.value().getState()).distinct().toList();
      assertEquals(List.of(CameraState.CONNECTING, CameraState.ONLINE, CameraState.ENDED), states);
    }
  }

  @Test
  void badInputsFailTheirOwnCameraOnlyWithClearMessages(KafkaBroker broker) throws Exception {
    Path truncated = dir.resolve("truncated.mp4");
    byte[] full = Files.readAllBytes(mp4.path());
    Files.write(truncated, Arrays.copyOf(full, full.length / 3));
    Path garbled = dir.resolve("garbled.ts");
    byte[] g = Files.readAllBytes(ts.path());
    Random rnd = new Random(7);
    for (int i = g.length / 3; i < g.length * 2 / 3; i += 3000) {
      g[i] = (byte) rnd.nextInt(256);
    }
    Files.write(garbled, g);
    Path text = dir.resolve("notes.mp4");
    Files.writeString(text, "this is not a video\n".repeat(100));
    PipelineSettings s = PipelineSettings.defaults();
    try (IngestHarness h = new IngestHarness(broker)) {
      IngestService svc =
          h.service(
              List.of(
                  CameraConfig.of("good", mp4.path().toString(), s),
                  CameraConfig.of("truncated", truncated.toString(), s),
                  // No decode skipping: with skipping on, missing frames count as skipped.
                  CameraConfig.of("garbled", garbled.toString(), s).withSkip(SkipMode.NONE),
                  CameraConfig.of("text", text.toString(), s),
                  CameraConfig.of("missing", dir.resolve("nope.mp4").toString(), s)),
              Backoff.defaults());
      svc.start();
      svc.await(null, 1000);
      List<CameraWorker> w = svc.workers();
      assertEquals(CameraWorker.Outcome.ENDED, w.get(0).outcome(), w.get(0).summary());
      assertEquals(30, w.get(0).stats().published(), 1.0);
      assertEquals(CameraWorker.Outcome.FAILED, w.get(1).outcome(), w.get(1).summary());
      assertTrue(w.get(1).error().contains("truncated.mp4"), w.get(1).error());
      // A garbled stream decodes what it can; damaged pictures are counted, never published.
      assertEquals(CameraWorker.Outcome.ENDED, w.get(2).outcome(), w.get(2).summary());
      assertTrue(w.get(2).stats().corruptPackets() > 0, w.get(2).summary());
      assertTrue(w.get(2).stats().published() > 20, w.get(2).summary());
      assertEquals(CameraWorker.Outcome.FAILED, w.get(3).outcome(), w.get(3).summary());
      assertTrue(w.get(3).error().contains("Invalid data found"), w.get(3).error());
      assertEquals(CameraWorker.Outcome.FAILED, w.get(4).outcome(), w.get(4).summary());
      assertTrue(w.get(4).error().contains("does not exist"), w.get(4).error());
      assertTrue(svc.anyFailed());

      List<CameraStatus> failed =
          h.statuses().stream()
              .map(ConsumerRecord::value)
              .filter(st -> st.getState() == CameraState.FAILED)
              .toList();
      assertTrue(failed.size() >= 3, failed.toString());
      assertTrue(failed.stream().allMatch(st -> st.getError() != null && !st.getError().isBlank()));
    }
  }
}
