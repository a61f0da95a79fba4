package io.streamsight.vlm.operator.digest;

import io.streamsight.vlm.timeline.TimelineEvent;

/**
 * A camera's recent timeline for questions about the past (a Flink POJO in keyed state): merged
 * events as the digests make them, kept {@link PastQuestions#KEEP_MICROS} back from the newest
 * summary and at most {@link PastQuestions#MAX_EVENTS} of them.
 */
public final class CameraHistory {
  /** Newest summary window end seen (µs); {@code Long.MIN_VALUE} before the first. */
  public long summaryMicros = Long.MIN_VALUE;

  /** Closed events, oldest first. */
  public TimelineEvent[] closed = new TimelineEvent[0];

  /** The event still open (the next window may extend it), or null. */
  public TimelineEvent open;

  public CameraHistory() {}
}
