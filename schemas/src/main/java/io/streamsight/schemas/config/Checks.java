package io.streamsight.schemas.config;

import java.time.Duration;

/**
 * Range checks for record constructors: each returns the value or throws a {@link ConfigException}
 * naming the key, the value and what is allowed.
 */
public final class Checks {
  private Checks() {}

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw ConfigException.invalid(key, value, "an integer >= " + min);
    }
    return value;
  }

  public static int inRange(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw ConfigException.invalid(key, value, "an integer in " + min + ".." + max);
    }
    return value;
  }

  /** A duration that must be longer than zero (null is rejected too). */
  public static Duration positive(String key, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw ConfigException.invalid(key, value, "a duration > 0 (" + Durations.FORMAT + ")");
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw ConfigException.invalid(key, value, "non-empty text");
    }
    return value;
  }
}
