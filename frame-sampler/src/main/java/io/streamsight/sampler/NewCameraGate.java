package io.streamsight.sampler;

/**
 * A token bucket over new camera ids (ids the store has no state for), one per task: holds {@code
 * perMinute} tokens, starts full and refills {@code perMinute} per minute of wall time. So a
 * deployment's cameras all start at once when there are fewer than the limit per partition, while a
 * producer inventing ids (a bug, an attack) adds at most the limit per minute to the state. Not
 * thread-safe: a task's processor uses it from its stream thread only.
 */
final class NewCameraGate {
  private final int perMinute;
  private double tokens;
  private long lastMillis = Long.MIN_VALUE;

  NewCameraGate(int perMinute) {
    this.perMinute = perMinute;
    this.tokens = perMinute;
  }

  /** Takes a token for a new camera at wall time {@code nowMillis}; false when none is left. */
  boolean admit(long nowMillis) {
    if (lastMillis != Long.MIN_VALUE && nowMillis > lastMillis) {
      tokens = Math.min(perMinute, tokens + (nowMillis - lastMillis) * perMinute / 60_000.0);
    }
    lastMillis = Math.max(lastMillis, nowMillis);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  int perMinute() {
    return perMinute;
  }
}
