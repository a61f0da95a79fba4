package io.streamsight.vlm.operator.util;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Warnings about bad input, at most one line per key (a camera, a rule) per interval, each saying
 * how many were suppressed since the last. A camera that sends a thousand bad keyframes a second
 * must not turn the log into its own flood; one line a minute with the count says the same. Keys
 * are kept in a small LRU, so the limiter itself cannot grow without bound. Thread-safe (the async
 * function completes on the inference thread).
 */
public final class RateLimitedLog {
  private record Entry(long lastLoggedNanos, long suppressed, long total) {}

  private final Logger log;
  private final long intervalNanos;
  private final Map<String, Entry> entries;

  public RateLimitedLog(Logger log, Duration interval, int maxKeys) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.entries = new Lru<>(maxKeys);
  }

  /**
   * Logs {@code message} (already formatted) unless {@code key} was logged within the interval.
   *
   * @return how many times this key was reported while the limiter remembered it
   */
  public synchronized long warn(String key, String message) {
    long now = System.nanoTime();
    Entry e = entries.get(key);
    if (e != null && now - e.lastLoggedNanos < intervalNanos) {
      entries.put(key, new Entry(e.lastLoggedNanos, e.suppressed + 1, e.total + 1));
      return e.total + 1;
    }
    long total = e == null ? 1 : e.total + 1;
    long suppressed = e == null ? 0 : e.suppressed;
    log.warn(
        suppressed == 0
            ? "{} ({} so far)"
            : "{} ({} so far; " + suppressed + " similar lines suppressed)",
        message,
        total);
    entries.put(key, new Entry(now, 0, total));
    return total;
  }
}
