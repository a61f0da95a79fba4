package io.streamsight.vlm.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Merges a camera's window summaries, in time order, into timeline events:
 *
 * <ul>
 *   <li>a described window whose text means the same as the open event's ({@link TextSimilarity} at
 *       or above the threshold) extends it;
 *   <li>a nothing-new window (no keyframe, so no description) extends it too: a static hour is one
 *       line;
 *   <li>any other described window closes the open event and opens the next.
 * </ul>
 *
 * A window is compared with the text that opened the event, not with the previous window, so a slow
 * drift (each window a little different from the last) still splits once it has drifted far enough.
 * An event ends where the window that closes it starts (or at its own last window's end if there is
 * a gap between them, since nothing is known of the gap).
 *
 * <p>{@link #step} is the pure transition for callers that keep the open event in their own state
 * (a Flink keyed state); {@link #merge} runs it over a whole list. Thread-safe if the similarity
 * is.
 */
public final class TimelineMerger {
  private final TextSimilarity similarity;
  private final double threshold;

  /**
   * @param threshold the similarity at or above which two texts mean the same, on the scale of
   *     {@code similarity} (e.g. {@link EmbeddingSimilarity#DEFAULT_THRESHOLD})
   */
  public TimelineMerger(TextSimilarity similarity, double threshold) {
    this.similarity = Objects.requireNonNull(similarity, "similarity");
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    this.threshold = threshold;
  }

  /**
   * The outcome of one window.
   *
   * @param closed the event this window ended, or null
   * @param open the event now open (never null)
   */
  public record Step(TimelineEvent closed, TimelineEvent open) {}

  /**
   * Adds window {@code w} to the open event {@code open} (null when none is open yet). A run of
   * nothing-new windows with no event before it opens a placeholder event (empty text) that the
   * first description adopts, so the event still starts at the first window.
   *
   * @throws IllegalArgumentException when {@code w} starts before the open event does (windows must
   *     come in order of start time)
   */
  public Step step(TimelineEvent open, WindowSummary w) {
    if (open == null) {
      return new Step(null, TimelineEvent.of(w));
    }
    if (w.startMicros() < open.startMicros()) {
      throw new IllegalArgumentException(
          "window starting at "
              + w.startMicros()
              + " µs arrived after an event starting at "
              + open.startMicros()
              + " µs; windows must come in order");
    }
    long end = Math.max(open.endMicros(), w.endMicros());
    if (open.isPlaceholder()) {
      return new Step(
          null,
          new TimelineEvent(open.startMicros(), end, w.text(), w.keyframe(), open.windows() + 1));
    }
    if (w.isNothingNew() || sameMeaning(open.text(), w.text())) {
      return new Step(
          null,
          new TimelineEvent(
              open.startMicros(), end, open.text(), open.keyframe(), open.windows() + 1));
    }
    // Tumbling windows: the old event ends where the new one starts. Overlapping (sliding)
    // windows: cut at the new window's start too. A gap: end at the old event's last window.
    long closedEnd = Math.min(open.endMicros(), w.startMicros());
    if (closedEnd <= open.startMicros()) {
      closedEnd = open.endMicros();
    }
    TimelineEvent closed =
        new TimelineEvent(
            open.startMicros(), closedEnd, open.text(), open.keyframe(), open.windows());
    return new Step(closed, TimelineEvent.of(w));
  }

  /**
   * The events of {@code windows} (in order of start), each description embedded once in one batch.
   * A placeholder left at the end (no window described anything) is not an event.
   */
  public List<TimelineEvent> merge(List<WindowSummary> windows) {
    similarity.prepare(
        windows.stream().map(WindowSummary::text).filter(t -> !t.isEmpty()).toList());
    List<TimelineEvent> events = new ArrayList<>();
    TimelineEvent open = null;
    for (WindowSummary w : windows) {
      Step s = step(open, w);
      if (s.closed() != null) {
        events.add(s.closed());
      }
      open = s.open();
    }
    if (open != null && !open.isPlaceholder()) {
      events.add(open);
    }
    return events;
  }

  /** Whether two descriptions say the same thing. */
  public boolean sameMeaning(String a, String b) {
    return similarity.similarity(a, b) >= threshold;
  }

  public double threshold() {
    return threshold;
  }
}
