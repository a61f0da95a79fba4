package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted {@code vlm.rules}: a value is an add/update, a tombstone (null value) a
 * delete; an undecodable or invalid rule becomes a rejection with the reason.
 */
public final class RuleDeserializer implements KafkaRecordDeserializationSchema<RuleChange> {
  private static final long serialVersionUID = 1L;
  private transient AvroCodec<AlertRule> codec;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RuleChange> out) {
    if (codec == null) {
      codec = AvroCodec.of(AlertRule.class);
    }
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    try {
      if (r.value() == null) {
        if (key == null) {
          throw new IllegalArgumentException("tombstone without a key");
        }
        out.collect(new RuleChange(key, null, null));
        return;
      }
      Rule rule = Rule.from(key, codec.decode(r.topic(), r.partition(), r.offset(), r.value()));
      out.collect(new RuleChange(rule.id(), rule, null));
    } catch (RuntimeException e) {
      out.collect(new RuleChange(key, null, Rejections.of(r, e)));
    }
  }

  @Override
  public TypeInformation<RuleChange> getProducedType() {
    return TypeInformation.of(RuleChange.class);
  }
}
