package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.KeyframeIn;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@code cameras.keyframes}, keeping each frame's partition and offset for references.
 * Undecodable or unusable records become rejections (dead-lettered), never job failures.
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
      out.collect(
          KeyframeIn.of(
              new FrameRef(
                  k.getCameraId(),
                  k.getCaptureTimeMicros(),
                  k.getSequence(),
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  k.getNoveltyScore(),
                  bytes(k.getJpeg()))));
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
