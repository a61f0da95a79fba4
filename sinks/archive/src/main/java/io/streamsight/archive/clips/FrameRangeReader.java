package io.streamsight.archive.clips;

import io.streamsight.archive.clips.ClipEncoder.ClipFrame;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads one camera's frames captured in [from, to] from {@code cameras.frames}: only the camera's
 * partition (the producer's default partitioner on the camera-id key), from the offset of the
 * record timestamp {@code from - slack} on, until a record stamped after {@code to + slack}, the
 * end of the partition, {@code maxFrames} or the deadline. No consumer group (nothing to commit).
 */
public final class FrameRangeReader implements AutoCloseable {
  /** Record timestamps are send times, a little after capture: read that much either side. */
  static final long SLACK_MILLIS = 30_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final int maxFrames;

  public FrameRangeReader(String bootstrap, String topic, int maxFrames) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
    p.putAll(Topics.consumerFetchConfigs(Topics.FRAMES));
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.maxFrames = maxFrames;
  }

  /** The camera's frames in capture-time order; empty when they are gone (retention) or absent. */
  public List<ClipFrame> read(String cameraId, long fromMicros, long toMicros, Duration deadline) {
    byte[] key = cameraId.getBytes(StandardCharsets.UTF_8);
    int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
    TopicPartition tp =
        new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions);
    consumer.assign(List.of(tp));
    Map<TopicPartition, OffsetAndTimestamp> at =
        consumer.offsetsForTimes(
            Map.of(tp, Math.max(0, fromMicros / 1000 - SLACK_MILLIS)), Duration.ofSeconds(10));
    List<ClipFrame> out = new ArrayList<>();
    if (at.get(tp) == null) {
      return out; // nothing stamped that late: the frames were never there or are not yet
    }
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    consumer.seek(tp, at.get(tp).offset());
    long stopStamp = toMicros / 1000 + SLACK_MILLIS;
    long until = System.nanoTime() + deadline.toNanos();
    var serde = Topics.FRAMES.valueSerde().deserializer();
    while (consumer.position(tp) < end && System.nanoTime() < until && out.size() < maxFrames) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.timestamp() > stopStamp) {
          return sorted(out);
        }
        if (r.value() == null || !java.util.Arrays.equals(key, r.key())) {
          continue;
        }
        Frame f;
        try {
          f = serde.deserialize(topic, r.value());
        } catch (RuntimeException bad) {
          continue; // the sampler dead-letters bad frames; a clip just goes without this one
        }
        long t = f.getCaptureTimeMicros();
        if (t >= fromMicros && t <= toMicros && out.size() < maxFrames) {
          ByteBuffer b = f.getJpeg().duplicate();
          byte[] jpeg = new byte[b.remaining()];
          b.get(jpeg);
          out.add(new ClipFrame(t, jpeg));
        }
      }
    }
    return sorted(out);
  }

  private static List<ClipFrame> sorted(List<ClipFrame> frames) {
    frames.sort(java.util.Comparator.comparingLong(ClipFrame::captureTimeMicros));
    return frames;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
