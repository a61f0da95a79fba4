package io.streamsight.vlm.operator.digest;

import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.TimelineEvent;

/**
 * A question about the past with the camera's timeline events inside its look back (clipped to it,
 * oldest first; empty when nothing was recorded).
 *
 * @param summarisedUpToMicros end of the camera's newest summary when the question was taken up
 *     ({@code Long.MIN_VALUE}: none)
 */
public record PastQuestion(QueryIn query, TimelineEvent[] events, long summarisedUpToMicros) {
  /** Start of the span asked about. */
  public long fromMicros() {
    return query.createdMicros() - query.lookbackMicros();
  }
}
