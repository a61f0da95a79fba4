package io.streamsight.vlm.operator.images;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.vlm.operator.config.OperatorConfig.ImagesConfig;
import io.streamsight.vlm.operator.types.FrameRef;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads keyframe records back from Kafka by topic, partition and offset: a small pool ({@code
 * images.fetchConsumers}) of threads, each owning one consumer that is assigned partitions (no
 * consumer group, nothing committed) and reads {@code read_committed}, like the job's source. The
 * references of one call are grouped per partition; each partition is read once from its smallest
 * wanted offset to its largest (a window's frames are close together in one camera's partition).
 *
 * <p>Misses are rare (a restore, an evicted image, a keyframe read by another TaskManager's
 * source), so consumers are created on first use; an operator whose images are all cached never
 * connects.
 *
 * <p>Outcomes per frame: the image; {@link FrameFetchException} when the record is gone (below the
 * partition's start: retention or compaction; beyond its end or skipped: re-created topic, aborted
 * transaction) or is not that keyframe; {@link RetriableFrameFetchException} when Kafka does not
 * answer within {@code images.fetchTimeout}.
 */
public final class KafkaFrameFetcher implements FrameFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameFetcher.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  /** The production factory: the job's bootstrap servers (from its {@code OperatorIo}). */
  public record KafkaFactory(String bootstrap) implements Factory {
    private static final long serialVersionUID = 1L;

    public KafkaFactory {
      Objects.requireNonNull(bootstrap, "bootstrap");
    }

    @Override
    public FrameFetcher open(ImagesConfig config) {
      return new KafkaFrameFetcher(bootstrap, config.fetchTimeout(), config.fetchConsumers());
    }
  }

  private final String bootstrap;
  private final Duration timeout;
  private final ExecutorService pool;
  private final ThreadLocal<KafkaConsumer<byte[], byte[]>> consumer = new ThreadLocal<>();
  private final List<KafkaConsumer<byte[], byte[]>> opened = new CopyOnWriteArrayList<>();
  private final ThreadLocal<AvroCodec<Keyframe>> codec =
      ThreadLocal.withInitial(() -> AvroCodec.of(Keyframe.class));

  public KafkaFrameFetcher(String bootstrap, Duration timeout, int consumers) {
    this.bootstrap = bootstrap;
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            consumers,
            r -> {
              Thread t = new Thread(r, "keyframe-fetch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletableFuture<List<Fetched>> fetch(List<FrameRef> refs) {
    Map<TopicPartition, List<FrameRef>> byPartition = new LinkedHashMap<>();
    for (FrameRef r : refs) {
      byPartition
          .computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>())
          .add(r);
    }
    List<CompletableFuture<List<Fetched>>> parts = new ArrayList<>();
    for (var e : byPartition.entrySet()) {
      parts.add(
          CompletableFuture.supplyAsync(() -> readPartition(e.getKey(), e.getValue()), pool)
              .exceptionally(
                  t ->
                      e.getValue().stream()
                          .map(
                              r ->
                                  Fetched.failed(
                                      new RetriableFrameFetchException(
                                          r, "the fetch was not run: " + t, t)))
                          .toList()));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<FrameRef, Fetched> all = new HashMap<>();
              parts.forEach(p -> p.join().forEach(f -> all.put(f.ref(), f)));
              return refs.stream().map(all::get).toList();
            });
  }

  private List<Fetched> readPartition(TopicPartition tp, List<FrameRef> refs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Fetched> out = new ArrayList<>(refs.size());
    TreeMap<Long, List<FrameRef>> wanted = new TreeMap<>();
    refs.forEach(r -> wanted.computeIfAbsent(r.offset(), o -> new ArrayList<>()).add(r));
    KafkaConsumer<byte[], byte[]> c = consumer();
    try {
      c.assign(List.of(tp));
      long start = c.beginningOffsets(List.of(tp), timeout).get(tp);
      long end = c.endOffsets(List.of(tp), timeout).get(tp);
      gone(
          wanted.headMap(start),
          out,
          "deleted from the topic (retention or compaction): "
              + tp
              + " now starts at offset "
              + start);
      gone(
          wanted.tailMap(end, true),
          out,
          "beyond the last committed offset of "
              + tp
              + " ("
              + end
              + "): was the topic deleted and re-created?");
      wanted.headMap(start).clear();
      wanted.tailMap(end, true).clear();
      if (!wanted.isEmpty()) {
        c.seek(tp, wanted.firstKey());
      }
      while (!wanted.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r :
            c.poll(Duration.ofNanos(Math.min(left, POLL.toNanos()))).records(tp)) {
          List<FrameRef> hit = wanted.remove(r.offset());
          if (hit != null) {
            hit.forEach(f -> out.add(decode(f, r)));
          }
        }
        // Offsets behind the position that were not returned hold no committed record.
        gone(
            wanted.headMap(c.position(tp)),
            out,
            "no committed record at that offset (compacted,"
                + " or written by an aborted transaction)");
        wanted.headMap(c.position(tp)).clear();
      }
      for (List<FrameRef> late : wanted.values()) {
        late.forEach(
            f ->
                out.add(
                    Fetched.failed(
                        new RetriableFrameFetchException(
                            f,
                            "Kafka at "
                                + bootstrap
                                + " did not return it within images.fetchTimeout ("
                                + timeout
                                + ")",
                            null))));
      }
      return out;
    } catch (WakeupException e) {
      return failRest(refs, out, true, "the operator is closing", e);
    } catch (RetriableException e) { // a TimeoutException among others
      return failRest(refs, out, true, "Kafka at " + bootstrap + " did not answer: " + e, e);
    } catch (KafkaException e) {
      return failRest(refs, out, false, "reading " + tp + " failed: " + e, e);
    } finally {
      try {
        c.assign(List.of());
      } catch (RuntimeException e) {
        LOG.debug("unassigning {} failed", tp, e);
      }
    }
  }

  private static void gone(Map<Long, List<FrameRef>> refs, List<Fetched> out, String why) {
    refs.values()
        .forEach(
            l -> l.forEach(f -> out.add(Fetched.failed(new FrameFetchException(f, why, null)))));
  }

  private static List<Fetched> failRest(
      List<FrameRef> refs, List<Fetched> done, boolean retriable, String why, Throwable cause) {
    List<Fetched> out = new ArrayList<>(done);
    Iterator<FrameRef> it = refs.iterator();
    while (it.hasNext()) {
      FrameRef f = it.next();
      if (done.stream().noneMatch(d -> d.ref().equals(f))) {
        out.add(
            Fetched.failed(
                retriable
                    ? new RetriableFrameFetchException(f, why, cause)
                    : new FrameFetchException(f, why, cause)));
      }
    }
    return out;
  }

  /** The record at the reference's offset, checked to be that keyframe, and its image. */
  private Fetched decode(FrameRef f, ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("a tombstone");
      }
      Keyframe k = codec.get().decode(r.topic(), r.partition(), r.offset(), r.value());
      if (Progress.is(k)) {
        throw new IllegalArgumentException("a progress record (no image), not a keyframe");
      }
      if (!k.getCameraId().equals(f.cameraId())
          || k.getSequence() != f.sequence()
          || k.getCaptureTimeMicros() != f.captureMicros()) {
        throw new IllegalArgumentException(
            "another keyframe (camera "
                + k.getCameraId()
                + ", sequence "
                + k.getSequence()
                + ", captured "
                + k.getCaptureTimeMicros()
                + " us): was the topic re-created?");
      }
      ByteBuffer b = k.getJpeg().duplicate();
      byte[] jpeg = new byte[b.remaining()];
      b.get(jpeg);
      return Fetched.of(f, jpeg);
    } catch (RuntimeException e) {
      return Fetched.failed(new FrameFetchException(f, "the record there is " + e.getMessage(), e));
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    KafkaConsumer<byte[], byte[]> c = consumer.get();
    if (c == null) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(
          ConsumerConfig.CLIENT_ID_CONFIG,
          "streamsight-keyframe-fetch-" + CLIENTS.incrementAndGet());
      // Only committed output of the exactly-once sampler, as the job's source reads it.
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      // A deleted offset must be an error naming it, not a silent jump to another record.
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "32");
      p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
      p.putAll(Topics.consumerFetchConfigs(Topics.KEYFRAMES));
      c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.set(c);
      opened.add(c);
    }
    return c;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    opened.forEach(KafkaConsumer::wakeup);
    try {
      if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("keyframe fetch threads still running after {}", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (KafkaConsumer<byte[], byte[]> c : opened) {
      try {
        c.close(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        LOG.debug("closing a keyframe fetch consumer failed", e);
      }
    }
    opened.clear();
  }
}
