package io.streamsight.ingest.run;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: attempt n waits a uniform random time in [base/2,
 * min(cap, initial * 2^n)]. Jitter keeps many cameras behind one failed NVR from reconnecting in
 * lockstep; the floor of half the base keeps a tight loop from hammering a dead server.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** Delay before reconnect attempt {@code attempt} (0-based). */
  public Duration delay(int attempt, RandomGenerator random) {
    long init = initial.toMillis();
    long ceiling = attempt >= 30 ? max.toMillis() : Math.min(max.toMillis(), init << attempt);
    long floor = Math.min(ceiling, Math.max(1, init / 2));
    return Duration.ofMillis(floor + (ceiling > floor ? random.nextLong(ceiling - floor + 1) : 0));
  }
}
