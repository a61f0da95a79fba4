package io.streamsight.vlm.timeline;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.List;

/**
 * The short narrative of a timeline, asked of the VLM in text-only mode: a request without images
 * whose prompt is the timeline itself. A VLM's language model summarises text as any small chat
 * model does (SmolVLM-256M's is small: expect one plain sentence). The colour fixture model only
 * names the colours of images, so with no image it answers with (nearly) nothing; see
 * docs/summarize.md.
 */
public final class Narrative {
  /** Default cap on the narrative's length. */
  public static final int DEFAULT_MAX_TOKENS = 96;

  /**
   * Lines of the timeline put into the prompt; beyond it the prompt says how many were left out (a
   * long timeline would not fit a small model's context, and the first lines set the scene).
   */
  public static final int MAX_EVENTS_IN_PROMPT = 60;

  private Narrative() {}

  /** The prompt: the timeline, one event a line, then the instruction. */
  public static String prompt(List<TimelineEvent> events, long originMicros) {
    StringBuilder sb = new StringBuilder("Here is a timeline of what a video shows:\n");
    int n = Math.min(events.size(), MAX_EVENTS_IN_PROMPT);
    for (int i = 0; i < n; i++) {
      TimelineEvent e = events.get(i);
      sb.append(Timestamps.range(e.startMicros(), e.endMicros(), originMicros))
          .append(' ')
          .append(e.text())
          .append('\n');
    }
    if (events.size() > n) {
      sb.append("(").append(events.size() - n).append(" more events)\n");
    }
    return sb.append("Summarise what happens in the video in two sentences.").toString();
  }

  /** The text-only request for {@code events}; null when there is nothing to narrate. */
  public static VlmRequest request(List<TimelineEvent> events, long originMicros, int maxTokens) {
    if (events.isEmpty()) {
      return null;
    }
    return new VlmRequest(
        Task.DESCRIBE,
        List.of(),
        prompt(events, originMicros),
        GenerationOptions.greedy(maxTokens, ImageBudget.GLOBAL_ONLY));
  }

  /** The narrative in a result: its text stripped, or empty when the model failed or said none. */
  public static String text(VlmResult r) {
    return r == null || r.error() != null ? "" : r.text().strip();
  }
}
