package io.streamsight.vlm.remote;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retrying a model-server request: capped exponential backoff with jitter,
 * or the server's {@code Retry-After} when that is longer, never above {@code max}.
 *
 * <p>A copy of the shape of ingest's and the webhook connector's {@code Backoff}: neither can be
 * reused here without dragging JavaCV or Kafka Connect into the model client (#23 wants one shared
 * implementation).
 */
final class RetryDelay {
  /** A server's {@code Retry-After: 0} (or a date in the past) must not make us spin. */
  static final Duration RETRY_AFTER_FLOOR = Duration.ofMillis(100);

  private final long initialMillis;
  private final long maxMillis;

  RetryDelay(Duration max) {
    this.maxMillis = Math.max(1, max.toMillis());
    this.initialMillis = Math.min(250, maxMillis);
  }

  /**
   * The wait before retry {@code retry} (1 = the first retry): a random time in [d/2, d], d =
   * min(max, initial * 2^(retry-1)), so many TaskManagers failing together do not retry in
   * lockstep; at least the server's {@code retryAfter} (floored at 100 ms), capped at max.
   */
  Duration delay(int retry, Optional<Duration> retryAfter) {
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long d = Math.min(maxMillis, initialMillis << shift);
    long jittered = d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    long wanted =
        retryAfter
            .map(r -> Math.max(jittered, Math.max(r.toMillis(), RETRY_AFTER_FLOOR.toMillis())))
            .orElse(jittered);
    return Duration.ofMillis(Math.min(maxMillis, wanted));
  }

  /**
   * A {@code Retry-After} value (delay-seconds, possibly fractional as some servers send, or an
   * HTTP date), or OpenAI's {@code retry-after-ms}; empty when absent or unreadable.
   */
  static Optional<Duration> parseRetryAfter(String retryAfterMs, String retryAfter, Instant now) {
    if (retryAfterMs != null) {
      try {
        return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(retryAfterMs))));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    if (retryAfter == null || retryAfter.isBlank()) {
      return Optional.empty();
    }
    String value = retryAfter.trim();
    try {
      double seconds = Double.parseDouble(value);
      if (!Double.isFinite(seconds)) {
        return Optional.empty();
      }
      // Cap before converting: a hostile "1e300" must not overflow.
      return Optional.of(Duration.ofMillis((long) (Math.max(0, Math.min(seconds, 86_400)) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
