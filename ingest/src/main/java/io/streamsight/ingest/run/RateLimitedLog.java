package io.streamsight.ingest.run;

import org.slf4j.Logger;

/** Logs at most once per interval, reporting how many events were folded into the line. */
final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private long lastNanos = Long.MIN_VALUE;
  private long suppressed;

  RateLimitedLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000;
  }

  synchronized void warn(String message) {
    long now = System.nanoTime();
    if (lastNanos != Long.MIN_VALUE && now - lastNanos < intervalNanos) {
      suppressed++;
      return;
    }
    log.warn(
        "{}{}", message, suppressed == 0 ? "" : " (+" + suppressed + " similar since last log)");
    suppressed = 0;
    lastNanos = now;
  }
}
