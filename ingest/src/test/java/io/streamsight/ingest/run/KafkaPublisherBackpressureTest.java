package io.streamsight.ingest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import java.nio.ByteBuffer;
import java.util.Collections;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared producer buffer never blocks a live decoder: when the frames not yet acknowledged fill
 * the byte budget, a live camera's next frame is refused at once (the worker counts it as dropped),
 * and room comes back as Kafka acknowledges. Kafka's own MockProducer stands in for the broker so
 * the test controls when acknowledgements arrive.
 */
@Timeout(10)
class KafkaPublisherBackpressureTest {
  private static Frame frame(long seq, int jpegBytes) {
    return Frame.newBuilder()
        .setCameraId("cam")
        .setIngestSessionId("s")
        .setSequence(seq)
        .setCaptureTimeMicros(seq)
        .setPtsMicros(seq)
        .setWidth(16)
        .setHeight(16)
        .setJpeg(ByteBuffer.wrap(new byte[jpegBytes]))
        .setFeatures(
            FrameFeatures.newBuilder()
                .setDhash(0)
                .setThumbnail(ByteBuffer.wrap(new byte[64]))
                .setColorHistogram(Collections.nCopies(24, 0f))
                .build())
        .build();
  }

  @Test
  void aLiveCameraDropsInsteadOfBlockingWhenTheSharedBufferIsFull() throws Exception {
    MockProducer<String, byte[]> broker =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    // Budget for two 100 kB frames; the per-camera in-flight limit (32) is not what stops it.
    try (KafkaPublisher publisher = new KafkaPublisher(broker, "frames", "status", 32, 250_000)) {
      CameraStats stats = new CameraStats();
      FrameSink sink = publisher.forCamera("cam", stats);
      assertTrue(sink.tryPublish(frame(1, 100_000)));
      assertTrue(sink.tryPublish(frame(2, 100_000)));
      assertFalse(sink.tryPublish(frame(3, 100_000)), "buffer budget spent: refused, not blocked");
      assertEquals(2, broker.history().size());

      broker.completeNext(); // Kafka acknowledges one frame: its bytes are free again
      assertTrue(sink.tryPublish(frame(4, 100_000)));
      assertEquals(1, stats.published());
      assertEquals(0, stats.sendErrors());

      broker.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
      assertEquals(1, stats.sendErrors(), "a refused frame is counted as lost");
      assertTrue(sink.tryPublish(frame(5, 100_000)), "and its budget is returned");
    }
  }
}
