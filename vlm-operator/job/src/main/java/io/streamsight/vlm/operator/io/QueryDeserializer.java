package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.validation.RecordChecks;
import io.streamsight.vlm.operator.types.QueryIn;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code vlm.queries}; bad records become rejections. */
public final class QueryDeserializer implements KafkaRecordDeserializationSchema<QueryIn> {
  private static final long serialVersionUID = 1L;
  private transient AvroCodec<Query> codec;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<QueryIn> out) {
    if (codec == null) {
      codec = AvroCodec.of(Query.class);
    }
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("null value");
      }
      Query q = codec.decode(r.topic(), r.partition(), r.offset(), r.value());
      RecordChecks.query(q); // the checks `ask` runs before sending
      long deadline = q.getDeadlineMicros() == null ? 0 : q.getDeadlineMicros();
      out.collect(
          new QueryIn(
              q.getQueryId(),
              q.getCameraId(),
              q.getQuestion(),
              q.getCreatedMicros(),
              deadline,
              q.getLookbackMicros() == null ? 0 : q.getLookbackMicros(),
              null));
    } catch (RuntimeException e) {
      out.collect(new QueryIn(null, null, null, 0, 0, Rejections.of(r, e)));
    }
  }

  @Override
  public TypeInformation<QueryIn> getProducedType() {
    return TypeInformation.of(QueryIn.class);
  }
}
