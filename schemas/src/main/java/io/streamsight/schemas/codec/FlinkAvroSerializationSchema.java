package io.streamsight.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Flink value serializer over {@link AvroCodec}. */
public final class FlinkAvroSerializationSchema<T extends SpecificRecord>
    implements SerializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient AvroCodec<T> codec;

  public FlinkAvroSerializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public byte[] serialize(T element) {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    return codec.encode(element);
  }
}
