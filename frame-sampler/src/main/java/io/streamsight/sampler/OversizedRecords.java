package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Dead letters that always fit their topic: the original value is cut to {@link
 * Topics#DLQ_MAX_ORIGINAL_BYTES} (or less when asked), and the error message says so, so a record
 * too large to write is kept as evidence instead of failing the stage on every retry.
 */
final class OversizedRecords {
  static final String STAGE = "frame-sampler";

  /**
   * Source records (application, topic, partition, offset) whose output was dead-lettered by {@link
   * OversizedRecordHandler}. Under exactly-once a failed write aborts the whole transaction, so
   * Streams processes the same input again; the processor skips what is listed here, so the replay
   * goes past the record instead of failing on it forever. In memory and bounded: after a process
   * restart the record is dead-lettered once more, never endlessly.
   */
  private static final Map<String, Boolean> DEAD_LETTERED =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 10_000;
            }
          });

  private OversizedRecords() {}

  static String key(String application, String topic, int partition, long offset) {
    return application + "|" + topic + "|" + partition + "|" + offset;
  }

  /**
   * Dead letters written whose failed transaction has not yet cost a stream thread: each allows one
   * thread replacement (see {@link OversizedRecordHandler#uncaughtExceptionHandler()}).
   */
  private static final java.util.concurrent.atomic.AtomicInteger PENDING_REPLACEMENTS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Records that the source record's output was dead-lettered; false if it already was. */
  static boolean markDeadLettered(String key) {
    boolean fresh = DEAD_LETTERED.put(key, Boolean.TRUE) == null;
    if (fresh) {
      PENDING_REPLACEMENTS.incrementAndGet();
    }
    return fresh;
  }

  /** Takes one allowed thread replacement, if a dead letter left one. */
  static boolean takeReplacement() {
    return PENDING_REPLACEMENTS.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  static boolean wasDeadLettered(String key) {
    return DEAD_LETTERED.containsKey(key);
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
