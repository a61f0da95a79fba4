package io.streamsight.sinks.connect.mqtt;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the JPEG of an alert's evidence keyframe from {@code cameras.keyframes} by its reference
 * (topic, partition, offset): alerts point at images instead of carrying them. One assigned
 * consumer, no group, so nothing is committed.
 *
 * <p>A reference is not trusted: it must name {@code cameras.keyframes}, a partition that exists
 * and an offset between the partition's earliest and end offsets (checked first, once per batch and
 * partition, so a reference past retention or past the end is skipped at once instead of polled
 * for), and the record there must decode as a keyframe of the alert's camera with a JPEG. All reads
 * of one batch share one time budget ({@link #startBatch}), so missing snapshots can never hold
 * alerts back by more than that per batch. Not thread-safe: the task's thread only.
 */
final class KeyframeFetcher implements AutoCloseable {
  private static final AvroCodec<Keyframe> KEYFRAMES = AvroCodec.of(Keyframe.class);
  private static final String TOPIC = Topics.KEYFRAMES.name();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration batchBudget;
  private long budgetEndsNanos;
  private Integer partitionCount;
  private final Map<TopicPartition, long[]> bounds = new HashMap<>();

  /** A snapshot, or why there is none. */
  record Snapshot(byte[] jpeg, String missing) {
    static Snapshot missing(String why) {
      return new Snapshot(null, why);
    }
  }

  KeyframeFetcher(String bootstrapServers, Duration batchBudget) {
    this.batchBudget = batchBudget;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                1,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "streamsight-snapshots"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    startBatch();
  }

  /** A new batch: a fresh time budget; partition counts and offset bounds are read again. */
  void startBatch() {
    budgetEndsNanos = System.nanoTime() + batchBudget.toNanos();
    partitionCount = null;
    bounds.clear();
  }

  /** The JPEG of {@code ref} if it is a readable keyframe of {@code cameraId}. */
  Snapshot fetch(KeyframeRef ref, String cameraId) {
    String at = ref.getTopic() + "-" + ref.getPartition() + "@" + ref.getOffset();
    if (!TOPIC.equals(ref.getTopic())) {
      return Snapshot.missing("its evidence ref " + at + " is not on " + TOPIC);
    }
    try {
      if (remaining().isZero()) {
        return Snapshot.missing("this batch's snapshot budget of " + batchBudget + " is spent");
      }
      if (partitionCount == null) {
        List<PartitionInfo> p = consumer.partitionsFor(TOPIC, remaining());
        partitionCount = p == null ? 0 : p.size();
      }
      if (ref.getPartition() < 0 || ref.getPartition() >= partitionCount) {
        return Snapshot.missing(
            "its evidence ref " + at + " names a partition " + TOPIC + " does not have");
      }
      TopicPartition tp = new TopicPartition(TOPIC, ref.getPartition());
      long[] b = bounds.get(tp);
      if (b == null) {
        long first = consumer.beginningOffsets(List.of(tp), remaining()).get(tp);
        long end = consumer.endOffsets(List.of(tp), remaining()).get(tp);
        b = new long[] {first, end};
        bounds.put(tp, b);
      }
      if (ref.getOffset() < b[0] || ref.getOffset() >= b[1]) {
        return Snapshot.missing(
            "its keyframe "
                + at
                + " is not in the log (offsets "
                + b[0]
                + " to "
                + (b[1] - 1)
                + " are: retention, a replay or a hand-made ref)");
      }
      return read(tp, ref, at, cameraId);
    } catch (KafkaException e) {
      return Snapshot.missing("reading its keyframe " + at + " failed: " + e.getMessage());
    }
  }

  private Snapshot read(TopicPartition tp, KeyframeRef ref, String at, String cameraId) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, ref.getOffset());
    while (!remaining().isZero()) {
      Duration wait =
          remaining().compareTo(Duration.ofMillis(200)) < 0 ? remaining() : Duration.ofMillis(200);
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
        if (r.offset() != ref.getOffset() || r.value() == null) {
          return Snapshot.missing("its keyframe " + at + " was compacted away or aborted");
        }
        Keyframe k;
        try {
          k = KEYFRAMES.decode(r.topic(), r.partition(), r.offset(), r.value());
        } catch (RuntimeException e) {
          return Snapshot.missing("the record at " + at + " is not a keyframe: " + e.getMessage());
        }
        if (!cameraId.equals(String.valueOf(k.getCameraId()))) {
          return Snapshot.missing("the keyframe at " + at + " is of another camera");
        }
        ByteBuffer jpeg = k.getJpeg() == null ? ByteBuffer.allocate(0) : k.getJpeg().duplicate();
        if (jpeg.remaining() < 2
            || jpeg.get(jpeg.position()) != (byte) 0xFF
            || jpeg.get(jpeg.position() + 1) != (byte) 0xD8) {
          return Snapshot.missing("the keyframe at " + at + " holds no JPEG");
        }
        byte[] out = new byte[jpeg.remaining()];
        jpeg.get(out);
        return new Snapshot(out, null);
      }
    }
    return Snapshot.missing("its keyframe " + at + " was not read within this batch's budget");
  }

  private Duration remaining() {
    long left = budgetEndsNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
