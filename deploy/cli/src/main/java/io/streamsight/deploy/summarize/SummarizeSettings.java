package io.streamsight.deploy.summarize;

import io.streamsight.sampler.CameraSettings;
import io.streamsight.vlm.timeline.Narrative;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code summarize} cuts and describes a video. Defaults follow the pipeline's: the sampler's
 * keyframe rules, the operator's 10 s windows, at most 8 frames a window, its summary instruction
 * and token cap, global-image-only frames; a bad value fails at start naming its option.
 *
 * @param fps frames per second taken from the video (ingest's sampling)
 * @param maxEdge longest edge of the frames given to the model; SmolVLM's global image is 512 px,
 *     so larger frames only cost JPEG work
 * @param batch windows per model run
 */
public record SummarizeSettings(
    Duration window,
    double fps,
    int maxEdge,
    int maxFrames,
    int batch,
    int maxNewTokens,
    int narrativeTokens,
    String instruction,
    CameraSettings sampler) {
  public static final String INSTRUCTION = "Describe what happens in these frames in one sentence.";

  public static final SummarizeSettings DEFAULTS =
      new SummarizeSettings(
          Duration.ofSeconds(10),
          2,
          512,
          8,
          4,
          48,
          Narrative.DEFAULT_MAX_TOKENS,
          INSTRUCTION,
          CameraSettings.DEFAULTS);

  public SummarizeSettings {
    Objects.requireNonNull(window, "window");
    if (window.toMillis() < 1000) {
      throw new IllegalArgumentException("--window must be at least 1s, got " + window);
    }
    if (!(fps > 0 && fps <= 60)) {
      throw new IllegalArgumentException("--fps must be in (0, 60], got " + fps);
    }
    if (maxEdge < 64 || maxFrames < 1 || batch < 1 || maxNewTokens < 1 || narrativeTokens < 1) {
      throw new IllegalArgumentException(
          "maxEdge >= 64, maxFrames, batch and token caps >= 1 required");
    }
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(sampler, "sampler");
  }

  public SummarizeSettings withWindow(Duration w) {
    return new SummarizeSettings(
        w, fps, maxEdge, maxFrames, batch, maxNewTokens, narrativeTokens, instruction, sampler);
  }

  public SummarizeSettings withFps(double f) {
    return new SummarizeSettings(
        window, f, maxEdge, maxFrames, batch, maxNewTokens, narrativeTokens, instruction, sampler);
  }

  long windowMicros() {
    return window.toNanos() / 1000;
  }
}
