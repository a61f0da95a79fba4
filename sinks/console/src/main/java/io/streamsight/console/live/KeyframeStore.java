package io.streamsight.console.live;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Keyframe JPEGs by their place in {@code cameras.keyframes} (partition, offset): the ones the
 * follower saw recently are in a cache bounded in bytes; others are read from the topic on demand
 * (one read_committed consumer, one read at a time). The bytes are served as they are, never
 * decoded here, so a hand-published decompression bomb costs the browser's image decoder (which
 * bounds it) and not this JVM; only records whose payload starts like a JPEG are served, so the
 * page can never be handed something else labelled {@code image/jpeg}.
 */
public final class KeyframeStore implements AutoCloseable {
  private static final AvroCodec<Keyframe> CODEC = AvroCodec.of(Keyframe.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  /** An image and the camera it shows. */
  public record Image(String cameraId, long captureTimeMicros, byte[] jpeg) {}

  private record Key(int partition, long offset) {}

  private final String bootstrap;
  private final long maxBytes;
  private final Map<Key, Image> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  /** On-demand reads have their own lock: a slow read must not hold up the follower's puts. */
  private final Object readLock = new Object();

  private KafkaConsumer<byte[], byte[]> reader;
  private volatile boolean closed;

  public KeyframeStore(String bootstrap, long maxBytes) {
    this.bootstrap = bootstrap;
    this.maxBytes = maxBytes;
  }

  /** Keeps a keyframe the follower just read. */
  public synchronized void put(int partition, long offset, Keyframe k) {
    byte[] jpeg = jpeg(k);
    if (jpeg == null || jpeg.length > maxBytes / 4) {
      return;
    }
    Image old =
        cache.put(
            new Key(partition, offset), new Image(k.getCameraId(), k.getCaptureTimeMicros(), jpeg));
    bytes += jpeg.length - (old == null ? 0 : old.jpeg().length);
    var it = cache.values().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().jpeg().length;
      it.remove();
    }
  }

  /**
   * The image at (partition, offset) of {@code cameras.keyframes}, or null when there is none: no
   * such offset (deleted by retention, a transaction marker, not written yet), not a keyframe, or
   * not a JPEG.
   */
  public Image get(int partition, long offset) {
    synchronized (this) {
      Image hit = cache.get(new Key(partition, offset));
      if (hit != null) {
        return hit;
      }
    }
    return read(partition, offset);
  }

  /** One read from the topic. Serialised: on-demand reads are rare (old thumbnails). */
  private Image read(int partition, long offset) {
    synchronized (readLock) {
      return readLocked(partition, offset);
    }
  }

  private Image readLocked(int partition, long offset) {
    if (closed) {
      return null;
    }
    if (reader == null) {
      reader =
          new KafkaConsumer<>(
              TopicFollower.consumerProperties(bootstrap, "streamsight-console-images"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
    }
    TopicPartition tp = new TopicPartition(Topics.KEYFRAMES.name(), partition);
    if (reader.partitionsFor(tp.topic(), READ_TIMEOUT).stream()
        .noneMatch(p -> p.partition() == partition)) {
      return null;
    }
    reader.assign(List.of(tp));
    long begin = reader.beginningOffsets(List.of(tp)).get(tp);
    long end = reader.endOffsets(List.of(tp)).get(tp);
    if (offset < begin || offset >= end) {
      return null;
    }
    reader.seek(tp, offset);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && reader.position(tp) <= offset) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        if (r.offset() == offset && r.value() != null) {
          Keyframe k;
          try {
            k = CODEC.decode(r.topic(), r.partition(), r.offset(), r.value());
          } catch (RuntimeException e) {
            return null;
          }
          byte[] jpeg = jpeg(k);
          return jpeg == null ? null : new Image(k.getCameraId(), k.getCaptureTimeMicros(), jpeg);
        }
        if (r.offset() > offset) {
          return null; // the offset held a transaction marker or an aborted record
        }
      }
    }
    return null;
  }

  private static byte[] jpeg(Keyframe k) {
    ByteBuffer b = k.getJpeg().duplicate();
    if (b.remaining() < 3
        || (b.get(b.position()) & 0xff) != 0xFF
        || (b.get(b.position() + 1) & 0xff) != 0xD8
        || (b.get(b.position() + 2) & 0xff) != 0xFF) {
      return null;
    }
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  public synchronized long cachedBytes() {
    return bytes;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (readLock) {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }
}
