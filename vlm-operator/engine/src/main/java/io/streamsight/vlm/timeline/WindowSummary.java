package io.streamsight.vlm.timeline;

import java.util.Objects;

/**
 * What the model said about one window of a camera, the input of {@link TimelineMerger}.
 *
 * @param startMicros window start, inclusive (event time)
 * @param endMicros window end, exclusive
 * @param text the description; empty means the window had nothing new (no keyframe, so no call)
 * @param keyframe the frame the description is about; null exactly when {@code text} is empty
 */
public record WindowSummary(long startMicros, long endMicros, String text, KeyframeMark keyframe) {
  public WindowSummary {
    Objects.requireNonNull(text, "text");
    text = text.strip();
    if (endMicros <= startMicros) {
      throw new IllegalArgumentException(
          "window end " + endMicros + " is not after its start " + startMicros);
    }
    if (text.isEmpty()) {
      keyframe = null;
    } else {
      Objects.requireNonNull(keyframe, "keyframe of a described window");
    }
  }

  /** A window in which nothing new happened: it extends whatever event is open. */
  public static WindowSummary nothingNew(long startMicros, long endMicros) {
    return new WindowSummary(startMicros, endMicros, "", null);
  }

  public static WindowSummary described(
      long startMicros, long endMicros, String text, KeyframeMark keyframe) {
    return new WindowSummary(startMicros, endMicros, text, keyframe);
  }

  public boolean isNothingNew() {
    return text.isEmpty();
  }
}
