package io.streamsight.vlm.operator.alerts;

import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.Rule;

/**
 * One (camera, rule)'s alert event as kept in keyed state, immutable: {@link AlertEvents} makes a
 * new one per input. No entry at all means idle (nothing open, nothing cooling down). A record of
 * plain fields so Flink serialises it as a POJO; evidence holds keyframe references, not images.
 *
 * <p>Phases: a <em>candidate</em> ({@code startMicros >= 0}, not {@code open}) is a run of the
 * condition waiting for the rule's minDuration; <em>open</em> between STARTED and ENDED;
 * <em>cooling</em> ({@code quietUntilMicros} ahead) after ENDED, when no event may start.
 *
 * @param rule the rule as last scored (its question, threshold and timing)
 * @param open true between STARTED and ENDED
 * @param startWindowStartMicros start of the window whose keyframe first crossed the threshold
 *     (with the end, the rule and the camera: the event id)
 * @param startMicros capture time of that keyframe (the event's start), -1 = no event or candidate
 * @param falseSinceMicros capture time of the first keyframe under the keep-open bound since the
 *     condition last held, -1 = it holds
 * @param lastFrameMicros newest capture time of a real frame (keyframe or frame-carried progress)
 * @param timeMicros newest event time seen (extrapolated progress included)
 * @param lastUpdateMicros event time of the last UPDATED, -1 = none yet
 * @param quietUntilMicros cooldown: no event starts before this event time, -1 = none
 */
public record EventState(
    Rule rule,
    boolean open,
    long startWindowStartMicros,
    long startWindowEndMicros,
    long startMicros,
    long falseSinceMicros,
    long lastFrameMicros,
    long timeMicros,
    double peakPYes,
    double lastPYes,
    FrameRef[] evidence,
    String summaryText,
    long lastUpdateMicros,
    long quietUntilMicros,
    String modelId) {

  /** Nothing open or waiting yet; times start at {@code timeMicros}. */
  static EventState idle(Rule rule, long timeMicros) {
    return new EventState(
        rule,
        false,
        -1,
        -1,
        -1,
        -1,
        timeMicros,
        timeMicros,
        0,
        0,
        new FrameRef[0],
        null,
        -1,
        -1,
        "");
  }

  /**
   * A cooldown until {@code quietUntil}, read from state written before alert events (a rule's last
   * alert window end plus its cooldown).
   */
  public static EventState coolingFromLegacy(Rule rule, long timeMicros, long quietUntil) {
    return idle(rule, timeMicros).quietUntil(quietUntil);
  }

  /** A run of the condition waiting for minDuration (or STARTED at once when it is 0). */
  boolean candidate() {
    return !open && startMicros >= 0;
  }

  boolean cooling() {
    return !open && startMicros < 0 && quietUntilMicros > timeMicros;
  }

  /** The event id: deterministic from (rule, camera, start window). */
  String eventId(String cameraId) {
    return AlertRecords.alertId(rule.id(), cameraId, startWindowStartMicros, startWindowEndMicros);
  }

  EventState withRule(Rule r) {
    return new EventState(
        r,
        open,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        falseSinceMicros,
        lastFrameMicros,
        timeMicros,
        peakPYes,
        lastPYes,
        evidence,
        summaryText,
        lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  /** Event time moved to {@code t} ({@code frame}: a real frame was captured then). */
  EventState at(long t, boolean frame) {
    return new EventState(
        rule,
        open,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        falseSinceMicros,
        frame ? Math.max(lastFrameMicros, t) : lastFrameMicros,
        Math.max(timeMicros, t),
        peakPYes,
        lastPYes,
        evidence,
        summaryText,
        lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  /** A candidate from the keyframe at {@code t} of the window starting {@code windowStart}. */
  EventState candidate(
      long windowStart, long windowEnd, long t, double p, FrameRef[] frames, String model) {
    return new EventState(
        rule,
        false,
        windowStart,
        windowEnd,
        t,
        -1,
        lastFrameMicros,
        timeMicros,
        p,
        p,
        frames,
        null,
        -1,
        quietUntilMicros,
        model);
  }

  /** A score that keeps the condition true ({@code p} at least the keep-open bound). */
  EventState holding(double p) {
    return new EventState(
        rule,
        open,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        -1,
        lastFrameMicros,
        timeMicros,
        Math.max(peakPYes, p),
        p,
        evidence,
        summaryText,
        lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  /** A score under the keep-open bound, captured at {@code t}. */
  EventState failing(double p, long t) {
    return new EventState(
        rule,
        open,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        falseSinceMicros >= 0 ? falseSinceMicros : t,
        lastFrameMicros,
        timeMicros,
        peakPYes,
        p,
        evidence,
        summaryText,
        lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  EventState opened() {
    return new EventState(
        rule,
        true,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        falseSinceMicros,
        lastFrameMicros,
        timeMicros,
        peakPYes,
        lastPYes,
        evidence,
        summaryText,
        lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  EventState summarised(String text, FrameRef[] moreEvidence, boolean updated) {
    return new EventState(
        rule,
        open,
        startWindowStartMicros,
        startWindowEndMicros,
        startMicros,
        falseSinceMicros,
        lastFrameMicros,
        timeMicros,
        peakPYes,
        lastPYes,
        moreEvidence,
        text,
        updated ? timeMicros : lastUpdateMicros,
        quietUntilMicros,
        modelId);
  }

  /** Nothing open or waiting, and no event may start before {@code quietUntil}. */
  EventState quietUntil(long quietUntil) {
    return new EventState(
        rule,
        false,
        -1,
        -1,
        -1,
        -1,
        lastFrameMicros,
        timeMicros,
        0,
        0,
        new FrameRef[0],
        null,
        -1,
        quietUntil,
        "");
  }
}
