package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one sampler app that Kafka refused as too large, shared by the app's {@link
 * OversizedRecordHandler}s (Kafka Streams makes one per task) and its {@link KeyframeProcessor}s.
 *
 * <p>Under exactly-once a refused write aborts its whole transaction: the handler only notes the
 * refusal here (in memory, without blocking the producer's I/O thread), the stream thread ends and
 * is replaced once ({@link #uncaughtExceptionHandler}), and on the replay the processor writes a
 * dead letter for the noted source record, inside the new transaction, instead of the refused
 * output. So the dead letter is exactly-once and goes through the topology's own sink; after a
 * process restart before that commit the record is simply refused and noted again.
 *
 * <p>One instance per app, never JVM-wide: two apps in one JVM (the demo and a test, two tests)
 * must not spend each other's thread replacements or skip each other's records. {@link
 * SamplerTopology#streamsConfig} hands it to the handlers under {@link #CONFIG_KEY}.
 */
public final class OversizedRecords {
  static final String STAGE = "frame-sampler";

  /** The Streams config key that carries this instance to {@link OversizedRecordHandler}. */
  static final String CONFIG_KEY = "streamsight.sampler.oversized-records";

  /** The header on every keyframe and dead letter naming its source frame ({@link #key}). */
  static final String SOURCE_HEADER = "streamsight.sampler.source";

  /** How much of the original a dead letter keeps when the first one was too large too. */
  static final int SECOND_TRY_BYTES = 64 << 10;

  private static final int MAX_ENTRIES = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(OversizedRecords.class);

  /**
   * A refused write for one source record: the topic it was for, its size and the producer's or
   * broker's reason. {@code deadLetter} = the refused write was already a dead letter, so the next
   * one keeps only {@link #SECOND_TRY_BYTES} of the original.
   */
  record Refusal(String topic, int bytes, String reason, boolean deadLetter) {
    int keepBytes() {
      return deadLetter ? SECOND_TRY_BYTES : Topics.DLQ_MAX_ORIGINAL_BYTES;
    }
  }

  /** Source record (topic|partition|offset) → its refusal; bounded, oldest dropped first. */
  private final Map<String, Refusal> refused =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusal> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /**
   * The RecordTooLargeExceptions already pinned on their record. Once a write of a transaction is
   * refused, the producer fails every later write of that transaction, in any task of the thread,
   * with the same exception instance (its "last error"): those records are not too large and must
   * only be replayed. Shared by all tasks' handlers (a per-handler set let a valid keyframe of
   * another partition be dead-lettered as too large). By identity; weak, so none is kept for long.
   */
  private final Set<Throwable> attributed = Collections.newSetFromMap(new WeakHashMap<>());

  /** Refusals whose aborted transaction has not yet cost a stream thread. */
  private final AtomicInteger pendingReplacements = new AtomicInteger();

  static String key(String topic, int partition, long offset) {
    return topic + "|" + partition + "|" + offset;
  }

  /** True the first time {@code e} is seen: the write it came with is the one refused. */
  synchronized boolean attribute(Throwable e) {
    return attributed.add(e);
  }

  /**
   * Notes that the output of {@code source}, for {@code topic}, was refused. Returns false (give
   * up: the handler fails the stage) when even a dead letter cut to {@link #SECOND_TRY_BYTES} was
   * refused; else the replay writes a dead letter, and one thread replacement is allowed for it.
   */
  synchronized boolean refuse(String source, String topic, int bytes, String reason) {
    Refusal before = refused.get(source);
    boolean isDeadLetter = topic.equals(Topics.dlq(STAGE).name());
    if (isDeadLetter && before != null && before.deadLetter()) {
      return false;
    }
    if (before != null && !isDeadLetter) {
      return false; // the replay wrote the same refused record again: something else is wrong
    }
    refused.put(source, new Refusal(topic, bytes, reason, isDeadLetter));
    pendingReplacements.incrementAndGet();
    return true;
  }

  /** The refusal noted for this source record, or null. */
  synchronized Refusal refusal(String source) {
    return refused.get(source);
  }

  /**
   * The stream-thread exception handler every sampler app runs with ({@link SamplerApp} installs
   * it, and nothing else may replace it: Kafka Streams keeps only the last one set). A thread ended
   * by a write noted here is replaced (once per refusal): the new thread replays the aborted input
   * and dead-letters the record. Anything else is a broker or state failure, which a restart from
   * the committed state handles better than a half-alive app: logged, and the client shuts down.
   */
  StreamsUncaughtExceptionHandler uncaughtExceptionHandler(String applicationId) {
    return e -> {
      if (causedByRecordTooLarge(e)
          && pendingReplacements.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        LOG.warn(
            "sampler {}: replacing the stream thread after a write refused as too large (the"
                + " replay dead-letters its record): {}",
            applicationId,
            e.toString());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      LOG.error("sampler {} failed, shutting down: {}", applicationId, e.toString(), e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    };
  }

  static boolean causedByRecordTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  static DeadLetter deadLetter(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Throwable error,
      String reason,
      int maxOriginalBytes) {
    String message = reason;
    byte[] kept = value;
    if (value != null && value.length > maxOriginalBytes) {
      kept = Arrays.copyOf(value, maxOriginalBytes);
      message +=
          " (original value truncated from " + value.length + " to " + maxOriginalBytes + " bytes)";
    }
    return DeadLetter.newBuilder()
        .setStage(STAGE)
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(kept == null ? null : ByteBuffer.wrap(kept))
        .setErrorClass(error.getClass().getName())
        .setErrorMessage(message)
        .setTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }
}
