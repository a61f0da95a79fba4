package io.streamsight.sampler;

import io.streamsight.schemas.config.Checks;
import java.time.Duration;

/**
 * How the sampler reports event-time progress on {@code cameras.keyframes} (see {@link
 * io.streamsight.schemas.records.Progress}), so the operator's windows close on a static scene and
 * after a stream ends without any keyframe and without a wall clock of its own.
 *
 * @param interval a progress record whenever a camera's capture time is this far past the last
 *     record the sampler forwarded for it (keyframe or progress); bounds how late a window closes
 *     on a static scene
 * @param idleAfter a camera that sent no frame for this much wall time is quiet: its time is
 *     extrapolated at wall speed from its newest frame and forwarded as progress every {@code
 *     interval}, so the last windows of an ended, paused or crashed stream close. This is the one
 *     wall-clock decision in the pipeline's event time, and it is made here, once, and written to
 *     the topic: a replay of {@code cameras.keyframes} sees the same records and gives the same
 *     windows.
 * @param idleFor how far past a quiet camera's newest frame the extrapolation goes before it stops
 *     (a camera gone for good must not cost a record a second forever); must exceed the operator's
 *     {@code window.size + watermarks.outOfOrderness}
 */
public record ProgressSettings(Duration interval, Duration idleAfter, Duration idleFor) {
  public static final ProgressSettings DEFAULTS =
      new ProgressSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(2));

  public ProgressSettings {
    Checks.positive("progressInterval", interval);
    Checks.positive("idleAfter", idleAfter);
    Checks.positive("idleProgressFor", idleFor);
  }

  long intervalMicros() {
    return interval.toNanos() / 1000;
  }

  long idleForMicros() {
    return idleFor.toNanos() / 1000;
  }
}
