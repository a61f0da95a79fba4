package io.streamsight.deploy.bench.capacity;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a downstream reader sees: alerts and summaries as a read_committed consumer gets them, each
 * with the wall-clock time it became readable. Reads from the topics' ends at start.
 */
final class Outcomes implements AutoCloseable {
  record Seen<T>(T record, long readMillis) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Seen<Alert>> alerts = new CopyOnWriteArrayList<>();
  private final List<Seen<Summary>> summaries = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Outcomes(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(Topics.ALERTS.name(), Topics.SUMMARIES.name())) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position); // resolve the end now, before the load starts
    thread = new Thread(this::poll, "capacity-outcomes");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    AvroCodec<Alert> alertCodec = AvroCodec.of(Alert.class);
    AvroCodec<Summary> summaryCodec = AvroCodec.of(Summary.class);
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          long now = System.currentTimeMillis();
          if (r.topic().equals(Topics.ALERTS.name())) {
            Alert a = alertCodec.decode(r.topic(), r.partition(), r.offset(), r.value());
            if (a.getPhase() == null || a.getPhase() == AlertPhase.STARTED) {
              alerts.add(new Seen<>(a, now));
            }
          } else {
            summaries.add(
                new Seen<>(
                    summaryCodec.decode(r.topic(), r.partition(), r.offset(), r.value()), now));
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Alerts that start an event (or old-style window alerts). */
  List<Seen<Alert>> alerts() {
    return alerts;
  }

  List<Seen<Summary>> summaries() {
    return summaries;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
