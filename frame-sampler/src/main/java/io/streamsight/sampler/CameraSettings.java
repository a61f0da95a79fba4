package io.streamsight.sampler;

import java.time.Duration;

/**
 * The keyframe rules of one camera.
 *
 * @param noveltyThreshold emit a keyframe when novelty vs the last keyframe reaches this (0..1)
 * @param minGap never two keyframes closer than this (event time)
 * @param maxGap always a keyframe at least this often (heartbeat)
 * @param ignoredCells 64-bit mask over the 8x8 thumbnail grid (bit = row * 8 + col); set bits are
 *     ignored, e.g. a clock overlay or a swaying tree
 */
public record CameraSettings(
    double noveltyThreshold, Duration minGap, Duration maxGap, long ignoredCells) {

  public static final CameraSettings DEFAULTS =
      new CameraSettings(0.25, Duration.ofSeconds(1), Duration.ofSeconds(30), 0L);

  public CameraSettings {
    if (!(noveltyThreshold > 0 && noveltyThreshold <= 1)) {
      throw new IllegalArgumentException("noveltyThreshold must be in (0, 1]: " + noveltyThreshold);
    }
    if (minGap.isNegative() || maxGap.compareTo(minGap) <= 0) {
      throw new IllegalArgumentException(
          "need 0 <= minGap < maxGap, got minGap=" + minGap + " maxGap=" + maxGap);
    }
    if (ignoredCells == -1L) {
      throw new IllegalArgumentException("ROI mask ignores all 64 cells: nothing left to compare");
    }
  }

  long minGapMicros() {
    return minGap.toNanos() / 1000;
  }

  long maxGapMicros() {
    return maxGap.toNanos() / 1000;
  }
}
