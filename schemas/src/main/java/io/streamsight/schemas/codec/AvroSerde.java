package io.streamsight.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer, deserializer and serde in one, over {@link AvroCodec}. Null is a tombstone. */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {
  private final AvroCodec<T> codec;

  public AvroSerde(Class<T> type) {
    this.codec = AvroCodec.of(type);
  }

  public AvroCodec<T> codec() {
    return codec;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : codec.decode(topic, data);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
