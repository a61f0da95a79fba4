package io.streamsight.sinks.connect.mqtt;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the JPEG of an alert's evidence keyframe from {@code cameras.keyframes} by its reference
 * (topic, partition, offset): alerts point at images instead of carrying them. One assigned
 * consumer, no group, so nothing is committed.
 */
final class KeyframeFetcher implements AutoCloseable {
  private static final AvroCodec<Keyframe> KEYFRAMES = AvroCodec.of(Keyframe.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;

  KeyframeFetcher(String bootstrapServers, Duration timeout) {
    this.timeout = timeout;
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
  }

  /** The JPEG, or empty when the keyframe is gone (retention) or cannot be read in time. */
  Optional<byte[]> jpeg(KeyframeRef ref) {
    TopicPartition tp = new TopicPartition(ref.getTopic(), ref.getPartition());
    consumer.assign(List.of(tp));
    consumer.seek(tp, ref.getOffset());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() != ref.getOffset() || r.value() == null) {
          return Optional.empty(); // compacted away or a transaction marker gap
        }
        Keyframe k = KEYFRAMES.decode(r.topic(), r.partition(), r.offset(), r.value());
        ByteBuffer b = k.getJpeg().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
