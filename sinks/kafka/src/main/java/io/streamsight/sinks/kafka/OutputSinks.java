package io.streamsight.sinks.kafka;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.FlinkAvroSerializationSchema;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Flink Kafka sinks (Sink v2) for the operator's output topics. Records are keyed as the topic
 * descriptors in {@link Topics} say (summaries, alerts and digests by camera, answers by query id,
 * dead letters by the original key) and written with Avro single-object encoding.
 */
public final class OutputSinks {
  private OutputSinks() {}

  public static KafkaSink<Summary> summaries(KafkaSinkSettings settings) {
    return summaries(settings, Topics.SUMMARIES.name());
  }

  public static KafkaSink<Alert> alerts(KafkaSinkSettings settings) {
    return alerts(settings, Topics.ALERTS.name());
  }

  public static KafkaSink<Answer> answers(KafkaSinkSettings settings) {
    return answers(settings, Topics.ANSWERS.name());
  }

  public static KafkaSink<Digest> digests(KafkaSinkSettings settings) {
    return digests(settings, Topics.DIGESTS.name());
  }

  /** The dead-letter topic of {@code stage}, keyed by the original record's key bytes. */
  public static KafkaSink<DeadLetter> deadLetters(KafkaSinkSettings settings, String stage) {
    TopicDescriptor<byte[], DeadLetter> topic = Topics.dlq(stage);
    return deadLettersTo(settings, topic.name());
  }

  // Variants writing to another topic name with the same keys and values (side-by-side test runs).

  public static KafkaSink<Summary> summaries(KafkaSinkSettings settings, String topic) {
    return build(settings, topic, Summary.class, new CameraKey<>());
  }

  public static KafkaSink<Alert> alerts(KafkaSinkSettings settings, String topic) {
    return build(settings, topic, Alert.class, new CameraKey<>());
  }

  public static KafkaSink<Answer> answers(KafkaSinkSettings settings, String topic) {
    return build(settings, topic, Answer.class, new QueryKey());
  }

  public static KafkaSink<Digest> digests(KafkaSinkSettings settings, String topic) {
    return build(settings, topic, Digest.class, new CameraKey<>());
  }

  public static KafkaSink<DeadLetter> deadLettersTo(KafkaSinkSettings settings, String topic) {
    return build(settings, topic, DeadLetter.class, new OriginalKey());
  }

  /** A sink to any topic, for records of type {@code type}, keyed by {@code key}. */
  public static <T extends SpecificRecord> KafkaSink<T> build(
      KafkaSinkSettings settings, String topic, Class<T> type, SerializationSchema<T> key) {
    KafkaSinkBuilder<T> b =
        KafkaSink.<T>builder()
            .setBootstrapServers(settings.bootstrapServers())
            .setDeliveryGuarantee(settings.guarantee())
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<T>builder()
                    .setTopic(topic)
                    .setKeySerializationSchema(key)
                    .setValueSerializationSchema(new FlinkAvroSerializationSchema<>(type))
                    .build())
            .setProperty(ProducerConfig.ACKS_CONFIG, "all")
            // The topic's declared limit: an oversized record fails in the producer, naming it.
            .setProperty(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Integer.toString(
                    Topics.find(topic)
                        .map(TopicDescriptor::producerMaxRequestSize)
                        .orElse(TopicDescriptor.DEFAULT_MAX_MESSAGE_BYTES)))
            .setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(settings.transactionTimeout().toMillis()));
    if (settings.transactionalIdPrefix() != null) {
      // One prefix per topic: each sink runs its own transactions.
      b.setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + topic);
    }
    return b.build();
  }

  /** Key = the record's {@code cameraId} field. */
  static final class CameraKey<T extends SpecificRecord> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(T element) {
      Object camera = element.get(element.getSchema().getField("cameraId").pos());
      return String.valueOf(camera).getBytes(StandardCharsets.UTF_8);
    }
  }

  static final class QueryKey implements SerializationSchema<Answer> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(Answer element) {
      return element.getQueryId().getBytes(StandardCharsets.UTF_8);
    }
  }

  static final class OriginalKey implements SerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(DeadLetter element) {
      if (element.getOriginalKey() == null) {
        return null;
      }
      java.nio.ByteBuffer b = element.getOriginalKey().duplicate();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    }
  }
}
