package io.streamsight.ingest.frame;

/**
 * Keeps frames at a target rate by presentation time, not by frame count, so variable frame rate
 * streams and dropped packets do not skew the output rate.
 *
 * <p>The first frame is kept; afterwards a frame is kept once its timestamp reaches the next due
 * time, which then advances by one interval. If the stream jumps (gap, reconnect, seek), the
 * schedule restarts from the frame kept instead of emitting a burst to catch up.
 *
 * <p>Content-blind on purpose: choosing which frames are worth a VLM call is the keyframe sampler's
 * job ({@code frame-sampler}); this gate only bounds how many frames ingest publishes.
 */
public final class FrameRateGate {
  // Absorbs rounding of PTS to microseconds (e.g. 1/30 s) so a due frame is not missed by 1 us.
  private static final long TOLERANCE_MICROS = 1_000;
  private final long intervalMicros;
  private long nextDueMicros = Long.MIN_VALUE;
  private long lastSeenMicros = Long.MIN_VALUE;

  public FrameRateGate(long intervalMicros) {
    if (intervalMicros <= 0) {
      throw new IllegalArgumentException("interval must be > 0, got " + intervalMicros);
    }
    this.intervalMicros = intervalMicros;
  }

  /** Whether the frame at {@code ptsMicros} should be kept; advances the schedule if so. */
  public boolean keep(long ptsMicros) {
    lastSeenMicros = ptsMicros;
    if (nextDueMicros == Long.MIN_VALUE
        || ptsMicros < nextDueMicros - intervalMicros // went backwards: new timeline
        || ptsMicros >= nextDueMicros + intervalMicros) { // gap of a whole interval: restart
      nextDueMicros = ptsMicros + intervalMicros;
      return true;
    }
    if (ptsMicros >= nextDueMicros - TOLERANCE_MICROS) {
      nextDueMicros += intervalMicros;
      return true;
    }
    return false;
  }

  /** Microseconds from the last seen frame to the next due time (negative if overdue). */
  public long untilDueMicros() {
    if (nextDueMicros == Long.MIN_VALUE) {
      return 0;
    }
    return nextDueMicros - lastSeenMicros;
  }

  /** Forget the schedule (after a reconnect). */
  public void reset() {
    nextDueMicros = Long.MIN_VALUE;
    lastSeenMicros = Long.MIN_VALUE;
  }
}
