package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import io.streamsight.schemas.validation.CameraGlob;
import java.io.Serializable;
import java.time.Duration;

/**
 * Settings for the cameras whose id matches {@code match} (the camera glob grammar of alert rules,
 * {@link CameraGlob}). A key left out keeps the top-level value; the first entry of {@code cameras}
 * that matches a camera is its only override (entries are not merged).
 */
public record CameraOverride(
    @ConfigDoc(
            value =
                "Camera glob: camera-id characters, `*` (any run) and `?` (one character), e.g."
                    + " `dock-*`.",
            required = true)
        String match,
    @ConfigDoc(
            value = "The instruction these cameras' windows are described with.",
            unset = "`summary.instruction`")
        String instruction,
    @ConfigDoc(value = "Summary length cap, in tokens.", unset = "`summary.maxNewTokens`")
        Integer maxNewTokens,
    @ConfigDoc(
            value = "Window length for these cameras, in event time.",
            unset = "`window.size` and `window.slide`")
        Duration windowSize,
    @ConfigDoc(
            value = "Slide of sliding windows for these cameras; at most `windowSize`.",
            unset = "tumbling windows of `windowSize`")
        Duration windowSlide,
    @ConfigDoc(
            value =
                "Which models these cameras' tasks use (e.g. only a local model for cameras"
                    + " whose frames must not leave the building); each key left out keeps"
                    + " `tasks`.",
            unset = "the top-level `tasks`")
        TaskModels tasks)
    implements Serializable {
  /** An override that leaves the models as they are. */
  public CameraOverride(
      String match,
      String instruction,
      Integer maxNewTokens,
      Duration windowSize,
      Duration windowSlide) {
    this(match, instruction, maxNewTokens, windowSize, windowSlide, null);
  }

  public CameraOverride {
    String problem = CameraGlob.problem(match);
    if (problem != null) {
      throw ConfigException.invalid("match", match, "a camera glob (" + problem + ")");
    }
    if (instruction != null) {
      Checks.notBlank("instruction", instruction);
    }
    if (maxNewTokens != null) {
      Checks.atLeast("maxNewTokens", maxNewTokens, 1);
    }
    if (windowSize != null) {
      Checks.positive("windowSize", windowSize);
    }
    if (windowSlide != null) {
      if (windowSize == null) {
        throw ConfigException.invalid(
            "windowSlide", Durations.format(windowSlide), "set only together with windowSize");
      }
      if (windowSlide.isZero()
          || windowSlide.isNegative()
          || windowSlide.compareTo(windowSize) > 0) {
        throw ConfigException.invalid(
            "windowSlide",
            Durations.format(windowSlide),
            "a duration > 0 and <= windowSize (" + Durations.format(windowSize) + "), or unset");
      }
    }
  }

  public boolean matches(String cameraId) {
    return CameraGlob.matches(match, cameraId);
  }
}
