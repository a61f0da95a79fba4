package io.streamsight.sampler;

import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** What {@link KeyframeProcessor} writes, besides dead letters ({@link OversizedRecords}). */
final class SamplerRecords {
  private SamplerRecords() {}

  /** The keyframe of frame {@code f} read at {@code meta}, as decided by {@code d}. */
  static Keyframe keyframe(Frame f, KeyframeDecider.Decision d, RecordMetadata meta) {
    return Keyframe.newBuilder()
        .setCameraId(f.getCameraId())
        .setIngestSessionId(f.getIngestSessionId())
        .setSequence(f.getSequence())
        .setCaptureTimeMicros(f.getCaptureTimeMicros())
        .setPtsMicros(f.getPtsMicros())
        .setWidth(f.getWidth())
        .setHeight(f.getHeight())
        .setJpeg(f.getJpeg())
        .setFeatures(f.getFeatures())
        .setReason(d.reason())
        .setNoveltyScore((float) d.novelty())
        .setSourcePartition(meta.partition())
        .setSourceOffset(meta.offset())
        .build();
  }

  /**
   * Names the frame an output came from, for {@link OversizedRecordHandler}: the context Kafka
   * Streams gives a failed write's handler is the task's record at the time of the failure, often a
   * later frame, so only the record itself can say which frame it belongs to.
   */
  static Headers source(RecordMetadata meta) {
    return new RecordHeaders()
        .add(
            OversizedRecords.SOURCE_HEADER,
            OversizedRecords.key(meta.topic(), meta.partition(), meta.offset())
                .getBytes(StandardCharsets.UTF_8));
  }
}
