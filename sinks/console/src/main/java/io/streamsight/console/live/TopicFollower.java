package io.streamsight.console.live;

import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.codec.AvroSerde;
import io.streamsight.schemas.topics.TopicDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a set of topics on one thread and hands each decoded record to a sink. {@code
 * read_committed}: the exactly-once stages write in transactions, and a record of an aborted or
 * still-open transaction must never reach the page. No consumer group: the console only reads, so
 * it moves nobody's offsets and needs no rebalance before the first record.
 *
 * <p>Each topic starts either at its beginning (compacted topics: rules, camera status) or a given
 * number of records before its end per partition (the recent past of the event topics; older
 * records are the archive's). A record that does not decode is logged with its topic, partition and
 * offset, counted ({@link #undecodable()}), and skipped: the console shows data, it does not own a
 * dead-letter topic.
 */
public final class TopicFollower implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  /** Receives a decoded record ({@code value} null for a tombstone). */
  @FunctionalInterface
  public interface Sink {
    void accept(String topic, int partition, long offset, String key, Object value, byte[] raw);
  }

  /**
   * A topic to follow.
   *
   * @param backlog records per partition to read before the end; {@link Long#MAX_VALUE} = all
   */
  public record Follow(TopicDescriptor<String, ?> topic, long backlog) {}

  private final String name;
  private final String bootstrap;
  private final List<Follow> follows;
  private final Sink sink;
  private final Map<String, AvroCodec<?>> codecs = new HashMap<>();
  private final AtomicLong undecodable = new AtomicLong();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile String failure;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public TopicFollower(String name, String bootstrap, List<Follow> follows, Sink sink) {
    this.name = name;
    this.bootstrap = bootstrap;
    this.follows = List.copyOf(follows);
    this.sink = sink;
    for (Follow f : follows) {
      codecs.put(f.topic().name(), ((AvroSerde<?>) f.topic().valueSerde()).codec());
    }
  }

  /** Consumer settings: read_committed, no group, fetches big enough for one keyframe. */
  static Properties consumerProperties(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    return p;
  }

  @Override
  public void run() {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerProperties(bootstrap, "streamsight-console-" + name),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer = c;
      if (closed) {
        return;
      }
      List<TopicPartition> parts = partitions(c);
      if (parts == null) {
        return;
      }
      c.assign(parts);
      position(c, parts);
      follows.forEach(f -> ready.put(f.topic().name(), true));
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          deliver(r);
        }
      }
    } catch (WakeupException e) {
      // close() woke us up
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("console: following {} stopped: {}", name, e.toString(), e);
        failure = e.toString();
      }
    } catch (Error e) {
      LOG.error("console: following {} stopped: {}", name, e.toString(), e);
      failure = e.toString();
      throw e;
    } finally {
      // Whatever ended the loop, the page no longer follows the topics: not ready from now on,
      // so a health probe restarts the console instead of serving a frozen page.
      if (failure == null && !closed) {
        failure = "the follower thread ended";
      }
    }
  }

  /** Why following stopped (the follower's thread ended without close), or null. */
  public String failure() {
    return failure;
  }

  /** The partitions of every followed topic, waiting for topics that do not exist yet. */
  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> parts = new ArrayList<>();
    for (Follow f : follows) {
      String topic = f.topic().name();
      boolean warned = false;
      while (!closed) {
        List<PartitionInfo> infos;
        try {
          infos = c.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (KafkaException e) {
          infos = List.of(); // broker not reachable yet; say so below and retry
        }
        if (infos != null && !infos.isEmpty()) {
          infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
          break;
        }
        if (!warned) {
          LOG.warn("console: topic {} is not there yet (at {}); waiting for it", topic, bootstrap);
          warned = true;
        }
        c.poll(Duration.ofSeconds(1)); // nothing assigned: a wake-up-able wait
      }
    }
    return closed ? null : parts;
  }

  private void position(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts) {
    Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
    Map<TopicPartition, Long> end = c.endOffsets(parts); // read_committed: the last stable offset
    for (TopicPartition tp : parts) {
      long backlog =
          follows.stream()
              .filter(f -> f.topic().name().equals(tp.topic()))
              .findFirst()
              .orElseThrow()
              .backlog();
      long from =
          backlog == Long.MAX_VALUE
              ? begin.get(tp)
              : Math.max(begin.get(tp), end.get(tp) - backlog);
      c.seek(tp, from);
    }
  }

  private void deliver(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    Object value = null;
    if (r.value() != null) {
      try {
        value = codecs.get(r.topic()).decode(r.topic(), r.partition(), r.offset(), r.value());
      } catch (RuntimeException e) {
        undecodable.incrementAndGet();
        LOG.warn(
            "console: skipped {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        return;
      }
    }
    try {
      sink.accept(r.topic(), r.partition(), r.offset(), key, value, r.value());
    } catch (RuntimeException e) {
      // A record that decodes but cannot be shown (a field we did not expect) must not stop the
      // follower: every later record would be lost to the page.
      undecodable.incrementAndGet();
      LOG.warn("console: could not show {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e, e);
    }
  }

  /** Records skipped because they did not decode. */
  public long undecodable() {
    return undecodable.get();
  }

  /**
   * Whether every followed topic exists, the follower is positioned on it and still following (a
   * follower that died is not ready).
   */
  public boolean ready() {
    return failure == null && ready.size() == follows.size();
  }

  @Override
  public void close() {
    closed = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
