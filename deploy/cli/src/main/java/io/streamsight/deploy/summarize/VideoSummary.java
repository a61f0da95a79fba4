package io.streamsight.deploy.summarize;

import io.streamsight.vlm.timeline.TimelineEvent;
import java.util.List;

/**
 * What {@code summarize} found.
 *
 * @param summary the model's narrative; empty when it wrote none
 * @param skipped what could not be summarised (damaged pictures, undecodable stretches, windows the
 *     model failed on), one human-readable line each; empty for a clean run
 */
public record VideoSummary(
    String video,
    double durationSeconds,
    String model,
    List<TimelineEvent> timeline,
    String summary,
    List<String> skipped,
    Counts counts) {

  /**
   * @param frames frames taken from the video (at --fps)
   * @param keyframes frames the sampler's rules kept
   * @param windows windows of the video
   * @param described windows the model described (the others had nothing new or no frames)
   */
  public record Counts(long frames, int keyframes, int windows, int described) {}

  public VideoSummary {
    timeline = List.copyOf(timeline);
    skipped = List.copyOf(skipped);
  }
}
