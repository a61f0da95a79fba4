package io.streamsight.archive.consume;

import io.streamsight.archive.ArchiveException;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer thread: reads {@code vlm.summaries} and {@code vlm.alerts} (read_committed) from the
 * offsets of the last index commit, decodes and checks each record, dead-letters what cannot be
 * indexed, and hands batches to the indexing thread through a bounded queue (which is the
 * back-pressure: a slow embedder slows the reading, never the other way round).
 *
 * <p>No consumer group: the index commit, not Kafka, holds the offsets, so a restart resumes at
 * exactly the records whose documents are not in the index.
 */
public final class SourceReader {
  private final String bootstrap;
  private final RecordMapper mapper;
  private final DeadLetters deadLetters;
  private final Duration retain;
  private final Clock clock;

  public SourceReader(
      String bootstrap,
      RecordMapper mapper,
      DeadLetters deadLetters,
      Duration retain,
      Clock clock) {
    this.bootstrap = bootstrap;
    this.mapper = mapper;
    this.deadLetters = deadLetters;
    this.retain = retain;
    this.clock = clock;
  }

  /**
   * Reads until {@code running} turns false or, when {@code once}, until the end offsets seen at
   * start are passed (then a last batch is queued).
   */
  public void run(
      Map<TopicPartition, Long> from,
      BlockingQueue<Batch> out,
      boolean once,
      BooleanSupplier running)
      throws InterruptedException {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of(Topics.SUMMARIES.name(), Topics.ALERTS.name())) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new ArchiveException(
              "topic " + topic + " does not exist on " + bootstrap + " (run `topics create`)");
        }
        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(parts);
      List<TopicPartition> fresh = new ArrayList<>();
      for (TopicPartition tp : parts) {
        Long o = from.get(tp);
        if (o == null) {
          fresh.add(tp);
        } else {
          consumer.seek(tp, o);
        }
      }
      if (!fresh.isEmpty()) {
        // Careful: an empty collection means "every assigned partition" to seekToBeginning.
        consumer.seekToBeginning(fresh);
      }
      // With read_committed these are the last stable offsets: what a one-shot run must reach.
      Map<TopicPartition, Long> end = once ? consumer.endOffsets(parts) : Map.of();
      while (running.getAsBoolean()) {
        if (once && reached(consumer, end)) {
          put(out, new Batch(List.of(), positions(consumer, parts), 0, 0, true), running);
          return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          put(out, toBatch(records, positions(consumer, parts)), running);
        }
      }
    }
  }

  private Batch toBatch(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> pos) {
    List<Pending> items = new ArrayList<>();
    int dead = 0;
    int expired = 0;
    long cutoffMicros = (clock.millis() - retain.toMillis()) * 1000;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        Pending p = mapper.map(r);
        if (p.doc().windowEndMicros() < cutoffMicros) {
          expired++; // retention would delete it at once (a rebuild of an old topic)
        } else {
          items.add(p);
        }
      } catch (RecordDecodeException | IllegalArgumentException e) {
        // InvalidRecordException is an IllegalArgumentException: bad content, same treatment.
        deadLetters.send(r, e);
        dead++;
      }
    }
    return new Batch(items, pos, dead, expired, false);
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<TopicPartition, Long> positions(
      KafkaConsumer<?, ?> c, List<TopicPartition> parts) {
    Map<TopicPartition, Long> m = new HashMap<>();
    for (TopicPartition tp : parts) {
      m.put(tp, c.position(tp));
    }
    return m;
  }

  private static void put(BlockingQueue<Batch> out, Batch b, BooleanSupplier running)
      throws InterruptedException {
    while (!out.offer(b, 200, TimeUnit.MILLISECONDS)) {
      if (!running.getAsBoolean()) {
        return;
      }
    }
  }

  private Properties props() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Records deleted by topic retention before the archive read them are gone either way.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamsight-archive");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }
}
