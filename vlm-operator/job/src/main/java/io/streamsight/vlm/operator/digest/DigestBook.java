package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.WindowSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The digest rules, without Flink: how a camera's window summaries, alerts and event time move its
 * {@link CameraDigests} and when a {@link Digest} comes out. {@link DigestFunction} keeps the state
 * and calls these; tests call them directly too.
 *
 * <ul>
 *   <li>Periods are {@code (start, end]} on a grid aligned to the epoch; a window (or alert)
 *       belongs to the period its end falls in. A period closes when the camera's time passes its
 *       end: a summary of a later window, or event time from keyframes (see {@link #advance}).
 *   <li>Windows go through {@link TimelineMerger#step}: same meaning extends the open event, a
 *       change closes it. The open event is carried into the next period, so a static hour is one
 *       line of the hourly digest and one line (marked continued) of each five-minute one.
 *   <li>A stretch without summaries (no keyframe: the sampler saw nothing new) up to {@code
 *       foldMicros} long extends the open event, cut at period ends; a longer one ends the event
 *       (the camera was away).
 *   <li>A window the model failed on is counted but is a gap in the timeline.
 *   <li>A period with no window, fold or alert (camera away) gives no digest.
 *   <li>Input for a period already closed is late: not in any digest; the caller counts it.
 * </ul>
 */
public final class DigestBook {
  private final TimelineMerger merger;
  private final long[] periodsMicros;
  private final long foldMicros;

  public DigestBook(TimelineMerger merger, long[] periodsMicros, long foldMicros) {
    this.merger = merger;
    this.periodsMicros = periodsMicros.clone();
    this.foldMicros = foldMicros;
  }

  /** A camera seen for the first time. */
  public CameraDigests fresh() {
    CameraDigests s = new CameraDigests();
    s.tracks = new PeriodTrack[periodsMicros.length];
    for (int i = 0; i < periodsMicros.length; i++) {
      s.tracks[i] = new PeriodTrack(periodsMicros[i]);
    }
    return s;
  }

  /**
   * Adds one window summary; digests of periods it closes go to {@code out}.
   *
   * @return true when it was late for some period length (that length's digests leave it out)
   */
  public boolean window(CameraDigests s, DigestInput w, Consumer<Digest> out) {
    boolean late = false;
    for (PeriodTrack t : s.tracks) {
      if (!t.started) {
        start(t, w.endMicros());
      }
      if (w.endMicros() <= t.closedUpTo
          || (t.open != null && w.startMicros() < t.open.startMicros())) {
        late = true; // its period is closed, or it cannot be merged in order
        continue;
      }
      if (t.open != null && t.open.endMicros() < w.startMicros()) {
        if (w.startMicros() - t.open.endMicros() <= foldMicros) {
          fold(s, t, w.cameraId(), t.open.endMicros(), w.startMicros(), out);
        } else {
          endOpen(t);
        }
      }
      closeUpTo(s, t, w.cameraId(), w.endMicros() - 1, out);
      t.windows++;
      t.shed += w.shedBefore();
      if (w.failed()) {
        continue;
      }
      TimelineMerger.Step step =
          merger.step(
              t.open,
              WindowSummary.described(w.startMicros(), w.endMicros(), w.text(), w.keyframe()));
      if (step.closed() != null) {
        t.closed = append(t.closed, step.closed());
      }
      t.open = step.open();
    }
    prune(s);
    return late;
  }

  /**
   * Counts an alert in the period its window ended in.
   *
   * @return true when that period had already closed for some period length
   */
  public boolean alert(CameraDigests s, long windowEndMicros) {
    boolean late = false;
    boolean counted = false;
    for (PeriodTrack t : s.tracks) {
      if (t.started && windowEndMicros <= t.closedUpTo) {
        late = true;
      } else {
        counted = true;
      }
    }
    if (counted) {
      long[] a = s.alertEnds;
      int at = Arrays.binarySearch(a, windowEndMicros);
      at = at < 0 ? -at - 1 : at;
      long[] b = new long[a.length + 1];
      System.arraycopy(a, 0, b, 0, at);
      b[at] = windowEndMicros;
      System.arraycopy(a, at, b, at + 1, a.length - at);
      s.alertEnds = b;
    }
    return late;
  }

  /** The camera's time reached {@code micros}: every period ending at or before it closes. */
  public void advance(CameraDigests s, String camera, long micros, Consumer<Digest> out) {
    for (PeriodTrack t : s.tracks) {
      closeUpTo(s, t, camera, micros, out);
    }
    prune(s);
  }

  /** End of input: every period with activity is emitted as it stands. */
  public void flush(CameraDigests s, String camera, Consumer<Digest> out) {
    for (PeriodTrack t : s.tracks) {
      if (t.started && active(s, t)) {
        out.accept(digest(s, t, camera));
        t.closedUpTo = t.endMicros;
        startNext(t, t.endMicros + t.periodMicros);
      }
    }
    prune(s);
  }

  /** Whether some period length has a period with activity waiting to close. */
  public boolean hasActivePeriod(CameraDigests s) {
    for (PeriodTrack t : s.tracks) {
      if (t.started && active(s, t)) {
        return true;
      }
    }
    return false;
  }

  private static void start(PeriodTrack t, long micros) {
    t.started = true;
    t.endMicros = periodEnd(micros, t.periodMicros);
    t.startMicros = t.endMicros - t.periodMicros;
  }

  /** The end of the period {@code (end - p, end]} that {@code micros} falls in. */
  static long periodEnd(long micros, long p) {
    return -Math.floorDiv(-micros, p) * p;
  }

  private void closeUpTo(
      CameraDigests s, PeriodTrack t, String camera, long micros, Consumer<Digest> out) {
    if (!t.started) {
      return;
    }
    while (micros >= t.endMicros) {
      if (active(s, t)) {
        out.accept(digest(s, t, camera));
      }
      t.closedUpTo = t.endMicros;
      // Skip the empty periods in between, but not one with an alert in it.
      long next = periodEnd(micros + 1, t.periodMicros);
      int i = firstAlertAfter(s, t.endMicros);
      if (i < s.alertEnds.length) {
        next = Math.min(next, periodEnd(s.alertEnds[i], t.periodMicros));
      }
      startNext(t, Math.max(next, t.endMicros + t.periodMicros));
    }
  }

  private static void startNext(PeriodTrack t, long end) {
    t.endMicros = end;
    t.startMicros = end - t.periodMicros;
    t.closed = new TimelineEvent[0];
    t.windows = 0;
    t.shed = 0;
    t.folded = false;
  }

  /**
   * Extends the open event over {@code [from, to)}, nothing new, cut at period ends so each period
   * shows its part.
   */
  private void fold(
      CameraDigests s, PeriodTrack t, String camera, long from, long to, Consumer<Digest> out) {
    long a = from;
    while (a < to) {
      long b = Math.min(to, periodEnd(a + 1, t.periodMicros));
      closeUpTo(s, t, camera, b - 1, out);
      if (b > t.closedUpTo) {
        t.open = merger.step(t.open, WindowSummary.nothingNew(a, b)).open();
        t.folded = true;
      }
      a = b;
    }
  }

  /** A gap too long to fold: the open event ended where its last window did. */
  private static void endOpen(PeriodTrack t) {
    if (t.open.endMicros() > t.startMicros && !t.open.isPlaceholder()) {
      t.closed = append(t.closed, t.open); // not yet in a digest
    }
    t.open = null;
  }

  private static boolean active(CameraDigests s, PeriodTrack t) {
    return t.windows > 0 || t.folded || alertsIn(s, t.startMicros, t.endMicros) > 0;
  }

  private static int alertsIn(CameraDigests s, long startExclusive, long endInclusive) {
    int n = 0;
    for (long e : s.alertEnds) {
      if (e > startExclusive && e <= endInclusive) {
        n++;
      }
    }
    return n;
  }

  private static int firstAlertAfter(CameraDigests s, long micros) {
    int i = 0;
    while (i < s.alertEnds.length && s.alertEnds[i] <= micros) {
      i++;
    }
    return i;
  }

  /** Drops alert ends every period length has closed past. */
  private static void prune(CameraDigests s) {
    long min = Long.MAX_VALUE;
    for (PeriodTrack t : s.tracks) {
      if (!t.started) {
        return;
      }
      min = Math.min(min, t.closedUpTo);
    }
    int i = firstAlertAfter(s, min);
    if (i > 0) {
      s.alertEnds = Arrays.copyOfRange(s.alertEnds, i, s.alertEnds.length);
    }
  }

  private static Digest digest(CameraDigests s, PeriodTrack t, String camera) {
    List<DigestEvent> events = new ArrayList<>();
    for (TimelineEvent e : t.closed) {
      add(events, e, t);
    }
    if (t.open != null) {
      add(events, t.open, t);
    }
    return Digest.newBuilder()
        .setCameraId(camera)
        .setPeriodStartMicros(t.startMicros)
        .setPeriodEndMicros(t.endMicros)
        .setEvents(events)
        .setWindows(t.windows)
        .setAlerts(alertsIn(s, t.startMicros, t.endMicros))
        .setWindowsShed(t.shed)
        .build();
  }

  /** {@code e} clipped to the period, if anything of it is inside. */
  private static void add(List<DigestEvent> out, TimelineEvent e, PeriodTrack t) {
    long start = Math.max(e.startMicros(), t.startMicros);
    long end = Math.min(e.endMicros(), t.endMicros);
    if (e.isPlaceholder() || end <= start) {
      return;
    }
    out.add(
        DigestEvent.newBuilder()
            .setStartMicros(start)
            .setEndMicros(end)
            .setText(e.text())
            .setKeyframe(e.keyframe() == null ? null : KeyframeMarks.toRef(e.keyframe()))
            .setContinued(e.startMicros() < t.startMicros)
            .build());
  }

  private static TimelineEvent[] append(TimelineEvent[] a, TimelineEvent e) {
    TimelineEvent[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = e;
    return b;
  }
}
