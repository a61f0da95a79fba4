package io.streamsight.deploy.summarize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.Timestamps;

/** How {@code summarize} prints a {@link VideoSummary}: a readable timeline, or one JSON object. */
public final class SummaryOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SummaryOutput() {}

  /**
   *
   *
   * <pre>
   * 00:00–00:20  red
   * 00:20–00:40  green
   *
   * Summary: ...
   * </pre>
   */
  public static String text(VideoSummary s) {
    StringBuilder sb = new StringBuilder();
    sb.append(s.video())
        .append("  (")
        .append(Timestamps.clock(Math.round(s.durationSeconds() * 1e6)))
        .append(", model ")
        .append(s.model())
        .append(")\n");
    for (TimelineEvent e : s.timeline()) {
      sb.append(Timestamps.range(e.startMicros(), e.endMicros(), 0))
          .append("  ")
          .append(e.text())
          .append('\n');
    }
    sb.append('\n')
        .append("Summary: ")
        .append(s.summary().isEmpty() ? "(the model wrote none)" : s.summary())
        .append('\n');
    return sb.toString();
  }

  /**
   * {@code {"video", "durationSeconds", "model", "timeline": [{"startSeconds", "endSeconds",
   * "text", "keyframeSeconds"}], "summary"}}; summary is null when the model wrote none.
   */
  public static String json(VideoSummary s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("video", s.video());
    o.put("durationSeconds", seconds(s.durationSeconds()));
    o.put("model", s.model());
    ArrayNode timeline = o.putArray("timeline");
    for (TimelineEvent e : s.timeline()) {
      ObjectNode n = timeline.addObject();
      n.put("startSeconds", seconds(e.startSeconds()));
      n.put("endSeconds", seconds(e.endSeconds()));
      n.put("text", e.text());
      n.put("keyframeSeconds", seconds(e.keyframe().captureMicros() / 1e6));
    }
    if (s.summary().isEmpty()) {
      o.putNull("summary");
    } else {
      o.put("summary", s.summary());
    }
    return o.toString();
  }

  /** Milliseconds are all a reader needs; fewer digits keep the JSON readable. */
  private static double seconds(double s) {
    return Math.round(s * 1000) / 1000.0;
  }
}
