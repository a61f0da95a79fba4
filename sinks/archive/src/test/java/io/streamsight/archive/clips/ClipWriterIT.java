package io.streamsight.archive.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real broker and FFmpeg: frames published to cameras.frames and a STARTED alert give a playable
 * H.264 MP4 of the configured span (3 s before to 5 s after the start); an alert whose camera has
 * no frames left gives no clip and is counted.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class ClipWriterIT {
  @TempDir Path dir;

  @Test
  void aStartedAlertGetsAPlayableClipAndOneWithoutFramesIsCounted(KafkaBroker broker)
      throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    long base = (System.currentTimeMillis() - 30_000) * 1000;
    try (var p = producer(broker.bootstrapServers())) {
      for (int i = 0; i < 60; i++) { // 12 s at 5 fps
        Frame f = frame("cam-clip", i, base + i * 200_000L);
        p.send(
            new ProducerRecord<>(
                Topics.FRAMES.name(),
                "cam-clip",
                Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), f)));
      }
      p.flush();
    }
    ClipStore store = new ClipStore(dir.resolve("clips"));
    var settings =
        new ClipWriter.Settings(
            Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(1), 16, 1, 600);
    try (ClipWriter w =
        new ClipWriter(
            settings,
            () -> new FrameRangeReader(broker.bootstrapServers(), Topics.FRAMES.name(), 600),
            new ClipEncoder(500_000),
            store)) {
      long start = base + 5_000_000; // frames 10..50 fall in [start - 3 s, start + 5 s]
      w.offer(alert("ev-clip", "cam-clip", start, AlertPhase.STARTED));
      w.offer(alert("ev-clip", "cam-clip", start, AlertPhase.ENDED)); // adds no second clip
      w.offer(alert("ev-none", "cam-gone", start, null)); // phase-less = STARTED
      Await.until(
          "clip written and missing counted",
          Duration.ofSeconds(90),
          () -> w.written() + w.failed() >= 1 && w.missing() >= 1);
      assertEquals(1, w.written(), "failed: " + w.failed());
      assertEquals(1, w.missing());
      assertFalse(store.find("ev-none").isPresent());
    }
    Path clip = store.find("ev-clip").orElseThrow();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.start();
      assertEquals("h264", g.getVideoCodecName());
      int frames = 0;
      while (g.grabImage() != null) {
        frames++;
      }
      assertEquals(41, frames);
      double seconds = g.getLengthInTime() / 1e6;
      assertTrue(seconds > 7.5 && seconds < 8.8, "duration " + seconds);
      assertEquals(320, g.getImageWidth());
      g.stop();
    }
  }

  private static Alert alert(String id, String camera, long start, AlertPhase phase) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId("fence")
        .setCameraId(camera)
        .setQuestion("Is someone at the fence?")
        .setPYes(0.9)
        .setThreshold(0.5)
        .setSeverity(Severity.HIGH)
        .setWindowStartMicros(start)
        .setWindowEndMicros(start + 10_000_000)
        .setEvidence(List.of())
        .setModelId("fixture")
        .setPhase(phase)
        .setEventStartMicros(phase == null ? null : start)
        .build();
  }

  private static Frame frame(String camera, int seq, long capture) throws Exception {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, 320, 240);
    g.setColor(Color.ORANGE);
    g.fillRect(seq * 4, 100, 40, 40); // a moving square
    g.dispose();
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpeg);
    return Frame.newBuilder()
        .setCameraId(camera)
        .setIngestSessionId("s1")
        .setSequence(seq)
        .setCaptureTimeMicros(capture)
        .setPtsMicros(capture - (capture / 1_000_000) * 1_000_000)
        .setWidth(320)
        .setHeight(240)
        .setJpeg(ByteBuffer.wrap(jpeg.toByteArray()))
        .setFeatures(
            FrameFeatures.newBuilder()
                .setDhash(0)
                .setThumbnail(ByteBuffer.wrap(new byte[64]))
                .setColorHistogram(Collections.nCopies(24, 1f / 8))
                .build())
        .build();
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.FRAME_MAX_BYTES);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
