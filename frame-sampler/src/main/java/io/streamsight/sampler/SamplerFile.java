package io.streamsight.sampler;

import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@code sampler.yaml} as {@link ConfigBinder} binds them; {@link #toConfig()} merges
 * the per-camera overrides into the {@link SamplerConfig} the topology uses, and {@link
 * CameraSettings} checks the values.
 */
public record SamplerFile(
    @ConfigDoc(
            value =
                "Kafka Streams application id: names the consumer group and the state. Instances"
                    + " with the same id share the cameras' partitions.",
            defaultValue = SamplerConfig.DEFAULT_APPLICATION_ID)
        String applicationId,
    @ConfigDoc(
            value =
                "Emit a keyframe when its novelty against the last keyframe (hash, histogram and"
                    + " thumbnail differences) reaches this; in (0, 1].",
            defaultValue = "0.25")
        double noveltyThreshold,
    @ConfigDoc(value = "Never two keyframes closer than this (event time).", defaultValue = "1s")
        Duration minGap,
    @ConfigDoc(
            value = "At least one keyframe this often, even from a static scene; more than minGap.",
            defaultValue = "30s")
        Duration maxGap,
    @ConfigDoc(
            value =
                "Event-time progress: a record without image on cameras.keyframes whenever a"
                    + " camera's capture time is this far past the last record forwarded for it,"
                    + " so the operator closes windows of static scenes without waiting for a"
                    + " keyframe.",
            defaultValue = "1s")
        Duration progressInterval,
    @ConfigDoc(
            value =
                "A camera without frames for this much wall time is quiet: its time is"
                    + " extrapolated at wall speed and forwarded as progress, so the last windows"
                    + " of an ended or paused stream close.",
            defaultValue = "3s")
        Duration idleAfter,
    @ConfigDoc(
            value =
                "How far past a quiet camera's newest frame its time is extrapolated; must exceed"
                    + " the operator's window.size + watermarks.outOfOrderness.",
            defaultValue = "2m")
        Duration idleProgressFor,
    @ConfigDoc(
            "Live questions (vlm.queries): a question makes its camera's next fresh frame a"
                + " keyframe with reason QUERY.")
        QuestionSettings questions,
    @ConfigDoc(
            "Bounds on the per-camera state: cameras not seen for a while are forgotten, and new"
                + " camera ids are accepted at a bounded rate.")
        StateSettings state,
    @ConfigDoc(
            value = "Per-camera overrides, by camera id; a key left out keeps the top-level value.",
            defaultValue = "{}")
        Map<String, CameraOverride> cameras) {

  /** The rules of one camera; every key is optional. */
  public record CameraOverride(
      @ConfigDoc(value = "This camera's noveltyThreshold.", unset = "the top-level value")
          Double noveltyThreshold,
      @ConfigDoc(value = "This camera's minGap.", unset = "the top-level value") Duration minGap,
      @ConfigDoc(value = "This camera's maxGap.", unset = "the top-level value") Duration maxGap,
      @ConfigDoc(
              value =
                  "Cells of the 8x8 thumbnail grid to ignore (a clock overlay, a swaying tree): 8"
                      + " rows of 8 characters, `x` = ignore the cell, `.` = compare it.",
              unset = "every cell compared",
              type = "list of 8 texts")
          List<String> ignore) {

    CameraSettings over(CameraSettings base) {
      Duration min = minGap == null ? base.minGap() : minGap;
      if (maxGap != null && minGap == null && maxGap.compareTo(min) <= 0) {
        // Only maxGap was set here, so it is the key to blame.
        throw ConfigException.invalid(
            "maxGap", maxGap, "a duration > minGap (" + Durations.format(min) + ")");
      }
      return new CameraSettings(
          noveltyThreshold == null ? base.noveltyThreshold() : noveltyThreshold,
          min,
          maxGap == null ? base.maxGap() : maxGap,
          ignore == null ? base.ignoredCells() : ignoredCells(ignore));
    }
  }

  /** The merged config; a bad value fails naming its key ({@code cameras.lobby.minGap}). */
  public SamplerConfig toConfig() {
    CameraSettings defaults = new CameraSettings(noveltyThreshold, minGap, maxGap, 0L);
    Map<String, CameraSettings> cams = new LinkedHashMap<>();
    cameras.forEach(
        (id, o) -> cams.put(id, ConfigException.within("cameras." + id, () -> o.over(defaults))));
    return new SamplerConfig(
        applicationId,
        defaults,
        cams,
        new ProgressSettings(progressInterval, idleAfter, idleProgressFor),
        questions,
        state);
  }

  /** The 8x8 ignore grid as a mask: bit {@code row * 8 + col} set = ignored. */
  static long ignoredCells(List<String> rows) {
    String allowed = "8 rows of 8 characters, x = ignore, . = compare";
    if (rows.size() != 8) {
      throw new ConfigException("ignore", "got " + rows.size() + " rows; allowed: " + allowed);
    }
    long mask = 0;
    for (int r = 0; r < 8; r++) {
      String row = rows.get(r);
      if (!row.matches("[x.]{8}")) {
        throw ConfigException.invalid("ignore[" + r + "]", row, allowed);
      }
      for (int c = 0; c < 8; c++) {
        if (row.charAt(c) == 'x') {
          mask |= 1L << (r * 8 + c);
        }
      }
    }
    return mask;
  }
}
