package io.streamsight.ingest;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Runs ingest against the test broker on fresh topics and reads back what it published. */
final class IngestHarness implements AutoCloseable {
  final KafkaBroker broker;
  final String framesTopic = "it-frames-" + UUID.randomUUID();
  final String statusTopic = "it-status-" + UUID.randomUUID();
  final KafkaPublisher publisher;

  IngestHarness(KafkaBroker broker) throws Exception {
    this.broker = broker;
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(framesTopic, 1, (short) 1), new NewTopic(statusTopic, 1, (short) 1)))
          .all()
          .get();
    }
    this.publisher =
        new KafkaPublisher(broker.bootstrapServers(), framesTopic, statusTopic, 16, Map.of());
  }

  IngestService service(List<CameraConfig> cameras, Backoff backoff) {
    return new IngestService(cameras, publisher::forCamera, backoff);
  }

  List<ConsumerRecord<String, Frame>> frames(int atLeast) {
    return read(framesTopic, Topics.FRAMES.valueSerde().deserializer(), atLeast);
  }

  List<ConsumerRecord<String, CameraStatus>> statuses(int atLeast) {
    return read(statusTopic, Topics.STATUS.valueSerde().deserializer(), atLeast);
  }

  /** Reads the topic from the start until {@code atLeast} records then 1 idle second, or 20 s. */
  private <V> List<ConsumerRecord<String, V>> read(
      String topic, Deserializer<V> deser, int atLeast) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(), deser)) {
      // assign, not subscribe: no group rebalance delay, and all the test needs is one partition.
      c.assign(List.of(new TopicPartition(topic, 0)));
      c.seekToBeginning(c.assignment());
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < deadline) {
        var batch = c.poll(Duration.ofMillis(1000));
        batch.forEach(out::add);
        if (out.size() >= atLeast && batch.isEmpty()) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    publisher.close();
  }

  /** Polls {@code condition} every 50 ms for up to 30 s; fails naming {@code what}. */
  static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
