package io.streamsight.vlm.operator.alerts;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.validation.Schedule;
import io.streamsight.vlm.operator.alerts.AlertRecords.EndReason;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.WindowFrames;
import io.streamsight.vlm.operator.util.Lru;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The alert-event state machine of one (camera, rule), without Flink: each input takes the state
 * ({@link EventState}, null = idle) and returns the next one (null = forget it), writing the
 * event's records to {@code out}. {@link io.streamsight.vlm.operator.OutcomeEmitter} keeps the
 * states in keyed state and feeds them; this class holds no state of its own but a bounded cache of
 * parsed schedules.
 *
 * <ul>
 *   <li><b>STARTED</b> on the first keyframe whose p(yes) reaches the threshold (scores come per
 *       keyframe, for the window so far: as fast as a one-window alert was), when the rule's
 *       schedule is active at its capture time and no cooldown runs. With a minDuration the
 *       condition (p(yes) at least threshold − hysteresis after that first keyframe) must hold that
 *       long first; STARTED then comes with the keyframe or progress record that completes it.
 *   <li>The event stays open while later scores reach threshold − hysteresis ({@link
 *       Rule#keepOpenAt}). A score that failed (NaN) is no evidence either way: it changes nothing.
 *       Between keyframes the last score stands (a static scene keeps its verdict).
 *   <li><b>UPDATED</b> when a window of the event is summarised (one with a keyframe captured while
 *       the condition held): its text and keyframes join the event, at most once per {@code
 *       updateEvery} of event time (the first summary always).
 *   <li><b>ENDED</b> with the first of: the condition false for clearAfter of event time (CLEARED,
 *       ending at the first keyframe under the bound), the camera sending no frames (the sampler's
 *       extrapolated progress; CAMERA_ENDED, ending at its last frame), maxDuration after the start
 *       (MAX_DURATION), or the rule deleted or disabled (RULE_REMOVED).
 *   <li>Cooldown: after ENDED no event starts until cooldown after the event's end; then the state
 *       is forgotten. Not after CAMERA_ENDED: a camera that comes back showing the same thing is
 *       news for the person on duty, so its next event starts at once.
 * </ul>
 *
 * <p>Every decision is taken on event time carried by records (keyframe capture times, progress
 * records), never on a clock, and the event id comes from (rule, camera, start window): a replay of
 * the same input gives the same records with the same ids.
 */
public final class AlertEvents {
  /** Evidence kept per event: the first keyframes (what crossed) and the newest. */
  static final int MAX_EVIDENCE = 16;

  private final long updateEveryMicros;
  private final Map<String, Schedule> schedules = new Lru<>(256);

  /**
   * @param updateEveryMicros at most one UPDATED per this much event time
   */
  public AlertEvents(long updateEveryMicros) {
    this.updateEveryMicros = updateEveryMicros;
  }

  /**
   * {@code rule} scored {@code pYes} on the window so far {@code w}, whose newest keyframe was just
   * captured.
   */
  public EventState score(
      EventState s,
      String camera,
      Rule rule,
      WindowFrames w,
      double pYes,
      String modelId,
      InferenceTimings timings,
      Consumer<Alert> out) {
    long t = w.newestCaptureMicros();
    s = (s == null ? EventState.idle(rule, t) : s.withRule(rule)).at(t, true);
    if (Double.isNaN(pYes)) {
      return advance(s, camera, timings, out); // unknown, not "no"
    }
    if (s.open() || s.candidate()) {
      if (pYes >= rule.keepOpenAt()) {
        s = s.holding(pYes);
      } else if (s.open()) {
        s = s.failing(pYes, t);
      } else {
        s = s.quietUntil(s.quietUntilMicros()); // the run broke before minDuration
      }
    } else if (pYes >= rule.threshold() && t >= s.quietUntilMicros() && active(rule, t)) {
      s = s.candidate(w.windowStartMicros(), w.windowEndMicros(), t, pYes, w.frames(), modelId);
    }
    return advance(s, camera, timings, out);
  }

  /**
   * The camera's event time reached {@code t} without a score for this rule ({@code quiet}: the
   * sampler extrapolated it, the camera sends no frames).
   */
  public EventState tick(EventState s, String camera, long t, boolean quiet, Consumer<Alert> out) {
    if (s == null) {
      return null;
    }
    s = s.at(t, !quiet);
    if (quiet && s.open()) {
      out.accept(AlertRecords.ended(camera, s, s.lastFrameMicros(), EndReason.CAMERA_ENDED));
      return forget(s.quietUntil(-1));
    }
    if (quiet && s.candidate()) {
      s = s.quietUntil(s.quietUntilMicros());
    }
    return advance(s, camera, null, out);
  }

  /** Window {@code w} of the camera was summarised as {@code text}. */
  public EventState summary(
      EventState s, String camera, WindowFrames w, String text, Consumer<Alert> out) {
    if (s == null || !s.open() || text.isBlank() || !showsTheCondition(s, w)) {
      return s; // no event, or a window from before it or after the condition went false
    }
    boolean due =
        s.lastUpdateMicros() < 0 || s.timeMicros() - s.lastUpdateMicros() >= updateEveryMicros;
    s = s.summarised(text, Evidence.merge(s.evidence(), w.frames(), MAX_EVIDENCE), due);
    if (due) {
      out.accept(AlertRecords.updated(camera, s));
    }
    return s;
  }

  /**
   * True when a keyframe of {@code w} was captured while the condition held: at or after the
   * event's start and, if it has gone false since, before that. A window that closes late (out of
   * order) from before the event, or the window whose keyframes show the scene after the condition
   * ended, would put a caption of something else on the event.
   */
  private static boolean showsTheCondition(EventState s, WindowFrames w) {
    for (FrameRef f : w.frames()) {
      long t = f.captureMicros();
      if (t >= s.startMicros() && (s.falseSinceMicros() < 0 || t < s.falseSinceMicros())) {
        return true;
      }
    }
    return false;
  }

  /** No more input will come for the camera (end of a bounded input): an open event ends. */
  public EventState endOfInput(EventState s, String camera, Consumer<Alert> out) {
    if (s != null && s.open()) {
      out.accept(AlertRecords.ended(camera, s, s.lastFrameMicros(), EndReason.CAMERA_ENDED));
    }
    return null;
  }

  /** The rule was deleted or disabled: an open event ends, the rest is forgotten. */
  public EventState ruleRemoved(EventState s, String camera, Consumer<Alert> out) {
    if (s != null && s.open()) {
      out.accept(AlertRecords.ended(camera, s, s.timeMicros(), EndReason.RULE_REMOVED));
    }
    return null;
  }

  /** The time-driven transitions: minDuration reached, cleared, max duration, cooldown over. */
  private EventState advance(
      EventState s, String camera, InferenceTimings timings, Consumer<Alert> out) {
    Rule r = s.rule();
    long now = s.timeMicros();
    if (s.candidate() && now - s.startMicros() >= r.minDurationMicros()) {
      s = s.opened();
      out.accept(AlertRecords.started(camera, s, timings));
    }
    if (s.open()) {
      if (s.falseSinceMicros() >= 0 && now - s.falseSinceMicros() >= r.clearAfterMicros()) {
        return end(s, camera, s.falseSinceMicros(), EndReason.CLEARED, out);
      }
      long max = maxDurationMicros(r);
      if (now - s.startMicros() >= max) {
        return end(s, camera, s.startMicros() + max, EndReason.MAX_DURATION, out);
      }
    }
    return forget(s);
  }

  private static EventState end(
      EventState s, String camera, long endMicros, EndReason why, Consumer<Alert> out) {
    out.accept(AlertRecords.ended(camera, s, endMicros, why));
    return forget(s.quietUntil(endMicros + s.rule().cooldownMicros()));
  }

  /** Null (forget) once nothing is open, waiting or cooling down. */
  private static EventState forget(EventState s) {
    return s.open() || s.candidate() || s.cooling() ? s : null;
  }

  /**
   * A rule restored from state written before rules had event timing has 0 there: read as the
   * schema's default (10 min), not as "end at once".
   */
  private static long maxDurationMicros(Rule r) {
    return r.maxDurationMicros() > 0 ? r.maxDurationMicros() : 600_000_000L;
  }

  private boolean active(Rule r, long t) {
    if (r.schedule() == null) {
      return true;
    }
    // Validated at the boundary (RuleDeserializer): parsing cannot fail here.
    return schedules.computeIfAbsent(r.schedule(), s -> Schedule.parse("schedule", s)).activeAt(t);
  }

  /** Helpers for an event's evidence. */
  static final class Evidence {
    private Evidence() {}

    /**
     * {@code kept} and {@code more}, without repeats, in capture order; beyond {@code max} the
     * first half (what started the event) and the newest.
     */
    static FrameRef[] merge(FrameRef[] kept, FrameRef[] more, int max) {
      TreeMap<Long, FrameRef> byTime = new TreeMap<>();
      Set<String> seen = new HashSet<>();
      for (FrameRef[] fs : new FrameRef[][] {kept, more}) {
        for (FrameRef f : fs) {
          if (!f.isProgress() && seen.add(f.where())) {
            byTime.merge(f.captureMicros(), f, (a, b) -> a);
          }
        }
      }
      FrameRef[] all = byTime.values().toArray(FrameRef[]::new);
      if (all.length <= max) {
        return all;
      }
      FrameRef[] out = new FrameRef[max];
      int head = max / 2;
      System.arraycopy(all, 0, out, 0, head);
      System.arraycopy(all, all.length - (max - head), out, head, max - head);
      return out;
    }
  }
}
