package io.streamsight.vlm.timeline;

import java.util.Objects;

/**
 * One line of a timeline: from {@code startMicros} to {@code endMicros} the camera showed what
 * {@code text} says.
 *
 * @param text the description of the window that opened the event (the later windows said the same,
 *     or nothing new); empty only for a run of nothing-new windows that no description has opened
 *     yet (see {@link TimelineMerger#step})
 * @param keyframe the keyframe of the window that opened the event; null when {@code text} is empty
 * @param windows how many windows the event covers (described and nothing-new)
 */
public record TimelineEvent(
    long startMicros, long endMicros, String text, KeyframeMark keyframe, int windows) {
  public TimelineEvent {
    Objects.requireNonNull(text, "text");
    if (endMicros <= startMicros) {
      throw new IllegalArgumentException(
          "event end " + endMicros + " is not after its start " + startMicros);
    }
    if (windows < 1) {
      throw new IllegalArgumentException("an event covers at least one window");
    }
  }

  /** The event a single window opens. */
  static TimelineEvent of(WindowSummary w) {
    return new TimelineEvent(w.startMicros(), w.endMicros(), w.text(), w.keyframe(), 1);
  }

  /** Whether no description has opened this event yet. */
  public boolean isPlaceholder() {
    return text.isEmpty();
  }

  public double startSeconds() {
    return startMicros / 1e6;
  }

  public double endSeconds() {
    return endMicros / 1e6;
  }
}
