package io.streamsight.deploy.cli;

import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicDescriptor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning to the end offsets seen at the start, without a consumer group
 * (a read must not move anyone's offsets), within a deadline. Undecodable records are skipped with
 * a line on {@code err}; tombstones reach {@code each} as a null value.
 */
final class TopicSnapshot {
  private TopicSnapshot() {}

  static <V extends org.apache.avro.specific.SpecificRecord> void read(
      String bootstrap,
      TopicDescriptor<String, V> topic,
      Class<V> type,
      Duration deadline,
      PrintWriter err,
      BiConsumer<String, V> each) {
    AvroCodec<V> codec = AvroCodec.of(type);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(io.streamsight.schemas.topics.Topics.consumerFetchConfigs(topic));
    Instant until = Instant.now().plus(deadline);
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (Instant.now().isAfter(until)) {
          throw new TimeoutException(
              "reading " + topic.name() + " took longer than " + deadline.toSeconds() + "s");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            each.accept(key, null);
            continue;
          }
          try {
            each.accept(key, codec.decode(r.topic(), r.partition(), r.offset(), r.value()));
          } catch (RuntimeException e) {
            err.println(
                "skipping undecodable record "
                    + r.topic()
                    + "/"
                    + r.partition()
                    + "@"
                    + r.offset()
                    + ": "
                    + e.getMessage());
          }
        }
      }
    }
  }
}
