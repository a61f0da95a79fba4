package io.streamsight.archive.thumbs;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads keyframes by reference from {@code cameras.keyframes} while the topic still holds them. One
 * consumer, no group (it never commits), read_committed; the records of the last fetch are kept so
 * neighbouring references (the keyframes of one window) cost one fetch. Not thread-safe: owned by
 * the archive's worker thread.
 */
public final class KeyframeFetcher implements AutoCloseable {
  private static final int KEEP = 200;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;
  private final Map<TopicPartition, Map<Long, byte[]>> recent = new HashMap<>();

  public KeyframeFetcher(String bootstrap, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamsight-archive-keyframes");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.timeout = timeout;
  }

  /** Why a keyframe could not be read. */
  public static final class Unavailable extends Exception {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public Keyframe fetch(KeyframeRef ref) throws Unavailable {
    String where = ref.getTopic() + "-" + ref.getPartition() + "@" + ref.getOffset();
    if (!Topics.KEYFRAMES.name().equals(ref.getTopic())) {
      throw new Unavailable(
          "reference to " + where + " is not on " + Topics.KEYFRAMES.name(), null);
    }
    TopicPartition tp = new TopicPartition(ref.getTopic(), ref.getPartition());
    byte[] value = cached(tp, ref.getOffset());
    if (value == null) {
      value = read(tp, ref.getOffset(), where);
    }
    try {
      return AvroCodec.of(Keyframe.class)
          .decode(ref.getTopic(), ref.getPartition(), ref.getOffset(), value);
    } catch (RuntimeException e) {
      throw new Unavailable("keyframe " + where + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  private byte[] cached(TopicPartition tp, long offset) {
    Map<Long, byte[]> m = recent.get(tp);
    return m == null ? null : m.get(offset);
  }

  private byte[] read(TopicPartition tp, long offset, String where) throws Unavailable {
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Long, byte[]> m = recent.computeIfAbsent(tp, k -> new HashMap<>());
    try {
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (m.size() >= KEEP) {
            m.clear();
          }
          m.put(r.offset(), r.value());
          if (r.offset() >= offset) {
            byte[] v = m.get(offset);
            if (v == null) {
              throw new Unavailable("keyframe " + where + " is not in the topic", null);
            }
            return v;
          }
        }
      }
    } catch (OffsetOutOfRangeException e) {
      throw new Unavailable("keyframe " + where + " has expired from the topic", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new Unavailable("cannot read keyframe " + where + ": " + e.getMessage(), e);
    }
    throw new Unavailable("keyframe " + where + " not readable within " + timeout, null);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
