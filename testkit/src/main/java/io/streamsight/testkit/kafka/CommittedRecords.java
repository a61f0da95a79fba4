package io.streamsight.testkit.kafka;

import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the exactly-once stages have committed to a topic, as a consumer downstream sees it ({@code
 * read_committed}: records of open or aborted transactions are invisible). One reader for every
 * test, so each test's "what did the stage output" means the same thing.
 */
public final class CommittedRecords {
  /** How long reading up to the end may take before the read fails (a broker in trouble). */
  private static final Duration READ_LIMIT = Duration.ofSeconds(60);

  private CommittedRecords() {}

  /** A read_committed consumer assigned to every partition of {@code topic}, at the beginning. */
  public static KafkaConsumer<byte[], byte[]> reader(String bootstrap, String topic) {
    return reader(bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** As {@link #reader(String, String)}, with the given deserializers. */
  public static <K, V> KafkaConsumer<K, V> reader(
      String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Frames carry JPEGs: one fetch must hold at least one whole record of any partition.
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    KafkaConsumer<K, V> c = new KafkaConsumer<>(p, keys, values);
    // assign, not subscribe: no group, no rebalance delay.
    List<TopicPartition> parts =
        c.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }

  /**
   * Every record committed on {@code topic} so far: reads each partition up to its last stable
   * offset (the end a read_committed consumer sees), then returns.
   */
  public static <K, V> List<ConsumerRecord<K, V>> read(
      String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> c = reader(bootstrap, topic, keys, values)) {
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Every record committed on a Streamsight topic so far, with the topic's own serdes. */
  public static <K, V> List<ConsumerRecord<K, V>> read(
      String bootstrap, TopicDescriptor<K, V> topic) {
    return read(
        bootstrap,
        topic.name(),
        topic.keySerde().deserializer(),
        topic.valueSerde().deserializer());
  }

  /** The values committed on a Streamsight topic so far. */
  public static <V> List<V> values(String bootstrap, TopicDescriptor<?, V> topic) {
    return read(bootstrap, topic).stream().map(ConsumerRecord::value).toList();
  }

  /** The Avro values committed on {@code topic} (any name, e.g. a test's own copy) so far. */
  public static <T extends SpecificRecord> List<T> values(
      String bootstrap, String topic, Class<T> type) {
    AvroCodec<T> codec = AvroCodec.of(type);
    return read(bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).stream()
        .map(r -> codec.decode(topic, r.partition(), r.offset(), r.value()))
        .toList();
  }

  /**
   * True when no transaction is open on {@code topic}: on every partition the last stable offset
   * has reached the high watermark, so every record written so far is visible or aborted.
   */
  public static boolean settled(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = latest(admin, topic);
    var stable =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get();
    var high =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
            .all()
            .get();
    return latest.keySet().stream()
        .allMatch(tp -> stable.get(tp).offset() == high.get(tp).offset());
  }

  /**
   * True when consumer group {@code group} has committed offsets at the end of every non-empty
   * partition of {@code topic}. For an exactly-once Kafka Streams application this means its last
   * transaction (which carries those offsets) has committed, and with it everything it wrote.
   */
  public static boolean caughtUp(Admin admin, String group, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = latest(admin, topic);
    var ends = admin.listOffsets(latest).all().get();
    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return ends.entrySet().stream()
        .allMatch(
            e ->
                e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue().offset()));
  }

  private static Map<TopicPartition, OffsetSpec> latest(Admin admin, String topic)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return latest;
  }
}
