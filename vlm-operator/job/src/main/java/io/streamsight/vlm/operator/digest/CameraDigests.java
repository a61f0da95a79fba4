package io.streamsight.vlm.operator.digest;

/**
 * A camera's digest state (one Flink value state per camera, a POJO): its two clocks, the window
 * ends of alerts not yet counted by every period length, and one {@link PeriodTrack} per period
 * length.
 */
public final class CameraDigests {
  /** Newest summary window end seen (µs); {@code Long.MIN_VALUE} before the first. */
  public long summaryMicros = Long.MIN_VALUE;

  /** Newest keyframe/progress capture time seen (µs); {@code Long.MIN_VALUE} before the first. */
  public long frameMicros = Long.MIN_VALUE;

  /** Wall time of the last input (only the optional idleness fallback reads it). */
  public long lastArrivalMillis;

  /** The pending idleness timer, 0 = none; kept so a camera has at most one. */
  public long idleTimerMillis;

  /** Window ends of alerts some period length has not closed yet, ascending. */
  public long[] alertEnds = new long[0];

  public PeriodTrack[] tracks = new PeriodTrack[0];

  public CameraDigests() {}

  /** The newest event time this camera has shown by either clock. */
  long newestMicros() {
    return Math.max(summaryMicros, frameMicros);
  }
}
