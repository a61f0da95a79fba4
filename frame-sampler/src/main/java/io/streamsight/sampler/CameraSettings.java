package io.streamsight.sampler;

import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import java.time.Duration;

/**
 * The keyframe rules of one camera. Built from {@code sampler.yaml} by {@link SamplerFile}; the
 * defaults here are the ones documented there.
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

  /** Checks the values; a bad one fails naming its {@code sampler.yaml} key. */
  public CameraSettings {
    if (!(noveltyThreshold > 0 && noveltyThreshold <= 1)) {
      throw ConfigException.invalid("noveltyThreshold", noveltyThreshold, "a number in (0, 1]");
    }
    if (minGap.isNegative() || maxGap.compareTo(minGap) <= 0) {
      throw ConfigException.invalid(
          "minGap", minGap, "0 <= minGap < maxGap (maxGap is " + Durations.format(maxGap) + ")");
    }
    if (ignoredCells == -1L) {
      throw new ConfigException("ignore", "ignores all 64 cells; at least one must be compared");
    }
  }

  long minGapMicros() {
    return minGap.toNanos() / 1000;
  }

  long maxGapMicros() {
    return maxGap.toNanos() / 1000;
  }
}
