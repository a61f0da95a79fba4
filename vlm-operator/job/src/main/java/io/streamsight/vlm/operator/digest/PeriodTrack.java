package io.streamsight.vlm.operator.digest;

import io.streamsight.vlm.timeline.TimelineEvent;

/**
 * One period length's progress for one camera (a Flink POJO inside {@link CameraDigests}): the
 * current period {@code (startMicros, endMicros]} (a window belongs to the period its end falls
 * in), the events closed in it, the event still open (carried into the next period), and counts.
 */
public final class PeriodTrack {
  public long periodMicros;
  public boolean started;
  public long startMicros;
  public long endMicros;

  /** End of the last period closed (emitted or passed empty); input ending at or before is late. */
  public long closedUpTo = Long.MIN_VALUE;

  public TimelineEvent open;
  public TimelineEvent[] closed = new TimelineEvent[0];
  public int windows;
  public int shed;

  /** Whether a nothing-new stretch was folded into this period (it then counts as active). */
  public boolean folded;

  public PeriodTrack() {}

  PeriodTrack(long periodMicros) {
    this.periodMicros = periodMicros;
  }
}
