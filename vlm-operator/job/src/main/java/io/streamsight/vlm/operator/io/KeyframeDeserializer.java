package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.preprocess.ImageDecoder;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@code cameras.keyframes} into references (topic, partition, offset): the image goes into
 * this TaskManager's {@link ImageCache}, never into a record or state of the job. Undecodable or
 * unusable records become rejections (dead-lettered), never job failures.
 *
 * <p>The JPEG's header is read here (not its pixels): an image without a readable header, above
 * {@link ImageDecoder#MAX_PIXELS}, or far from the record's width/height is dead-lettered with a
 * reason naming the size. This is the cheapest place: one header parse per keyframe, before the
 * frame joins a window whose whole summary one bad image would otherwise fail, and before the
 * engine would decode a decompression bomb.
 */
public final class KeyframeDeserializer implements KafkaRecordDeserializationSchema<KeyframeIn> {
  private static final long serialVersionUID = 1L;
  private transient AvroCodec<Keyframe> codec;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<KeyframeIn> out) {
    if (codec == null) {
      codec = AvroCodec.of(Keyframe.class);
    }
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("null value (keyframes are never deleted)");
      }
      Keyframe k = codec.decode(r.topic(), r.partition(), r.offset(), r.value());
      // The camera id becomes a state key, a log label and an output key: the shared grammar.
      CameraIds.check("cameraId", k.getCameraId());
      // Progress records (no image) only move the camera's event time; no image to check.
      byte[] jpeg = Progress.is(k) ? null : bytes(k.getJpeg());
      if (jpeg != null) {
        ImageDecoder.check(jpeg, k.getWidth(), k.getHeight());
      }
      FrameRef ref =
          new FrameRef(
              k.getCameraId(),
              k.getCaptureTimeMicros(),
              k.getSequence(),
              r.topic(),
              r.partition(),
              r.offset(),
              k.getNoveltyScore(),
              jpeg == null);
      if (jpeg != null) {
        // The image stays in this TaskManager; the job carries only the reference.
        ImageCache.shared().put(ref, jpeg);
      }
      out.collect(KeyframeIn.of(ref));
    } catch (RuntimeException e) {
      out.collect(KeyframeIn.rejected(Rejections.of(r, e)));
    }
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  @Override
  public TypeInformation<KeyframeIn> getProducedType() {
    return TypeInformation.of(KeyframeIn.class);
  }
}
