package io.streamsight.sinks.connect.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

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

  /**
   * The wait before retrying when the peer asked for {@code askedMillis} (Retry-After; -1 when it
   * did not): never less than this backoff's own delay, so {@code Retry-After: 0} or a date in the
   * past cannot make a tight retry loop, and a receiver that asks for longer gets longer (RFC 9110:
   * Retry-After is how long the client ought to wait at least).
   */
  public long delayMillis(int failedAttempts, long askedMillis) {
    return Math.max(askedMillis, delayMillis(failedAttempts));
  }

  /** {@code <prefix>.retry.backoff.initial.ms}. */
  public static String initialKey(String prefix) {
    return prefix + ".retry.backoff.initial.ms";
  }

  /** {@code <prefix>.retry.backoff.max.ms}. */
  public static String maxKey(String prefix) {
    return prefix + ".retry.backoff.max.ms";
  }

  /** Declares a connector's two backoff keys (the same shape for every subscription kind). */
  public static ConfigDef define(
      ConfigDef def, String prefix, long defaultMaxMs, String initialDoc) {
    return def.define(
            initialKey(prefix), Type.LONG, 500L, Range.atLeast(1), Importance.LOW, initialDoc)
        .define(
            maxKey(prefix),
            Type.LONG,
            defaultMaxMs,
            Range.atLeast(1),
            Importance.LOW,
            "Longest retry delay.");
  }

  /** Reads the keys {@link #define} declared; max below initial fails naming the key. */
  public static Backoff parse(AbstractConfig c, String prefix) {
    long initial = c.getLong(initialKey(prefix));
    long max = c.getLong(maxKey(prefix));
    if (max < initial) {
      throw new ConfigException(
          maxKey(prefix), max, "must be at least " + initialKey(prefix) + " (" + initial + ")");
    }
    return new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max));
  }
}
