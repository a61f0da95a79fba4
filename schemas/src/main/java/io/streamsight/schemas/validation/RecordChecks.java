package io.streamsight.schemas.validation;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Query;
import java.time.Duration;

/**
 * The checks an {@link AlertRule} or a {@link Query} must pass before anything acts on it, in one
 * place so every writer (the CLI, later the console's API) refuses exactly what the operator would
 * dead-letter. Each check throws {@link InvalidRecordException} naming the field.
 *
 * <ul>
 *   <li>ids (rule, query): the camera-id grammar ({@link CameraIds}): they are Kafka keys, metric
 *       and log text.
 *   <li>questions: not blank, at most {@value #MAX_QUESTION_CHARS} characters (Unicode code
 *       points), no control characters. A question becomes prompt tokens on every window of every
 *       matching camera, so its length is a cost multiplier; control characters have no place in a
 *       plain-language question and would let it forge log lines.
 *   <li>threshold: strictly between 0 and 1. At 0 a rule alerts on every window, at 1 (or NaN) it
 *       can never alert: both are mistakes that would otherwise stay silent forever.
 *   <li>cooldown: 0 to {@link #MAX_COOLDOWN}. The operator forgets per-camera state a day after its
 *       last update, so a longer cooldown could not be honoured.
 *   <li>camera glob: {@link CameraGlob}; a query's camera: {@link CameraIds}.
 *   <li>event timing: hysteresis from 0 to below 1 (the operator uses at most half the threshold,
 *       so an event can always clear and rules written before events stay valid); clearAfter 0 to
 *       {@link #MAX_EVENT_TIMING}; maxDuration more than 0, at most {@link #MAX_EVENT_TIMING} (the
 *       operator keeps an open event in state no longer than a day); minDuration 0 to maxDuration;
 *       schedule null or {@link Schedule}'s grammar.
 * </ul>
 */
public final class RecordChecks {
  public static final int MAX_QUESTION_CHARS = 500;
  public static final Duration MAX_COOLDOWN = Duration.ofHours(24);
  public static final Duration MAX_EVENT_TIMING = Duration.ofHours(24);

  private RecordChecks() {}

  /**
   * Checks a rule read under Kafka key {@code key} (null when there is no record yet, e.g. the CLI
   * before sending).
   */
  public static AlertRule alertRule(String key, AlertRule r) {
    id("id", "rule id", r.getId());
    if (key != null && !key.equals(r.getId())) {
      throw new InvalidRecordException(
          "id", "record key '" + Printable.of(key) + "' differs from rule id '" + r.getId() + "'");
    }
    CameraGlob.check("cameraGlob", r.getCameraGlob());
    question("question", r.getQuestion());
    threshold("threshold", r.getThreshold());
    cooldownMicros("cooldownMicros", r.getCooldownMicros());
    if (r.getSeverity() == null) {
      throw new InvalidRecordException("severity", "is missing");
    }
    eventTiming(r);
    return r;
  }

  /** The alert-event settings of a rule (see the class doc). */
  private static void eventTiming(AlertRule r) {
    double h = r.getHysteresis();
    if (!(h >= 0 && h < 1)) {
      throw new InvalidRecordException("hysteresis", "hysteresis " + h + " is not in [0, 1)");
    }
    timing("clearAfterMicros", "clearAfter", r.getClearAfterMicros(), true);
    timing("maxDurationMicros", "maxDuration", r.getMaxDurationMicros(), false);
    timing("minDurationMicros", "minDuration", r.getMinDurationMicros(), true);
    if (r.getMinDurationMicros() > r.getMaxDurationMicros()) {
      throw new InvalidRecordException(
          "minDurationMicros",
          "minDuration of "
              + r.getMinDurationMicros()
              + " us is longer than maxDuration ("
              + r.getMaxDurationMicros()
              + " us)");
    }
    if (r.getSchedule() != null) {
      Schedule.parse("schedule", r.getSchedule());
    }
  }

  private static void timing(String field, String name, long micros, boolean zeroAllowed) {
    long max = MAX_EVENT_TIMING.toNanos() / 1000;
    if (micros < 0 || (micros == 0 && !zeroAllowed) || micros > max) {
      throw new InvalidRecordException(
          field,
          name
              + " of "
              + micros
              + " us must be "
              + (zeroAllowed ? "0" : "more than 0")
              + " to "
              + MAX_EVENT_TIMING);
    }
  }

  /** Checks a live question. */
  public static Query query(Query q) {
    id("queryId", "query id", q.getQueryId());
    CameraIds.check("cameraId", q.getCameraId());
    question("question", q.getQuestion());
    if (q.getDeadlineMicros() != null && q.getDeadlineMicros() < 0) {
      throw new InvalidRecordException(
          "deadlineMicros", "is negative (" + q.getDeadlineMicros() + ")");
    }
    if (q.getLookbackMicros() != null) {
      lookbackMicros("lookbackMicros", q.getLookbackMicros());
    }
    return q;
  }

  /**
   * The longest look back a question about the past may ask for: the operator keeps a camera's
   * summarised timeline this long.
   */
  public static final long MAX_LOOKBACK_MICROS = 24L * 3600 * 1_000_000;

  /** A question's look back: more than 0, at most {@link #MAX_LOOKBACK_MICROS} (24 h). */
  public static long lookbackMicros(String field, long micros) {
    if (micros <= 0 || micros > MAX_LOOKBACK_MICROS) {
      throw new InvalidRecordException(
          field, "must be more than 0 and at most 24 h (was " + micros + " us)");
    }
    return micros;
  }

  /** A rule or query id: the camera-id grammar. */
  public static String id(String field, String kind, String id) {
    String p = CameraIds.problem(kind, id);
    if (p != null) {
      throw new InvalidRecordException(field, p);
    }
    return id;
  }

  /** A plain-language question (rule or live). */
  public static String question(String field, String q) {
    if (q == null || q.isBlank()) {
      throw new InvalidRecordException(field, "question is empty");
    }
    int chars = q.codePointCount(0, q.length());
    if (chars > MAX_QUESTION_CHARS) {
      throw new InvalidRecordException(
          field, "question is " + chars + " characters long (at most " + MAX_QUESTION_CHARS + ")");
    }
    for (int i = 0; i < q.length(); i++) {
      if (Character.isISOControl(q.charAt(i))) {
        throw new InvalidRecordException(
            field,
            "question has a control character ("
                + Printable.describe(q.charAt(i))
                + ") at position "
                + i);
      }
    }
    return q;
  }

  public static double threshold(String field, double t) {
    if (!(t > 0 && t < 1)) {
      throw new InvalidRecordException(
          field, "threshold " + t + " is not strictly between 0 and 1");
    }
    return t;
  }

  public static long cooldownMicros(String field, long micros) {
    if (micros < 0) {
      throw new InvalidRecordException(field, "cooldown is negative (" + micros + " us)");
    }
    long max = MAX_COOLDOWN.toNanos() / 1000;
    if (micros > max) {
      throw new InvalidRecordException(
          field, "cooldown of " + micros + " us is longer than " + MAX_COOLDOWN);
    }
    return micros;
  }
}
