package io.streamsight.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink value deserializer over {@link AvroCodec}. It knows the topic it reads so a failure names
 * it; Kafka record deserializers that see offsets add them with {@link RecordDecodeException#at}.
 */
public final class FlinkAvroDeserializationSchema<T extends SpecificRecord>
    implements DeserializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private final String topic;
  private transient AvroCodec<T> codec;

  public FlinkAvroDeserializationSchema(Class<T> type, String topic) {
    this.type = type;
    this.topic = topic;
  }

  @Override
  public T deserialize(byte[] message) {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    return codec.decode(topic, message);
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }
}
