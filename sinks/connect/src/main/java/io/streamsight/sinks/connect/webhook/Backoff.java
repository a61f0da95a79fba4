package io.streamsight.sinks.connect.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: attempt n waits a random time in [d/2, d] where d =
 * min(max, initial × 2^(n-1)), so many subscriptions failing together do not retry in lockstep.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The wait before retrying after {@code failedAttempts} (at least 1) failures. */
  public long delayMillis(int failedAttempts) {
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long d = Math.min(max.toMillis(), initial.toMillis() << shift);
    return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
  }
}
