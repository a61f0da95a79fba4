package io.streamsight.schemas.validation;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Query;
import java.time.Duration;
import java.util.List;

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

  /** Longest alert id: the operator's are UUIDs (36), hand-published ones get some room. */
  public static final int MAX_ALERT_ID_CHARS = 128;

  /**
   * Checks an alert before anything delivers it (subscriptions) or publishes it by hand: the alert
   * id becomes an HTTP header ({@code webhook-id}) and a dedupe key, so it is 1 to {@value
   * #MAX_ALERT_ID_CHARS} visible ASCII characters (no space, CR/LF or non-Latin-1, which HTTP
   * clients refuse); rule id: the id grammar; camera id: {@link CameraIds} (it becomes an MQTT
   * topic level, where {@code #}, {@code +}, {@code /} and NUL are not allowed); evidence: {@link
   * #keyframeRef} each.
   */
  public static io.streamsight.schemas.avro.Alert alert(io.streamsight.schemas.avro.Alert a) {
    deliveryId("alertId", a.getAlertId());
    id("ruleId", "rule id", a.getRuleId());
    CameraIds.check("cameraId", a.getCameraId());
    List<io.streamsight.schemas.avro.KeyframeRef> evidence = a.getEvidence();
    for (int i = 0; evidence != null && i < evidence.size(); i++) {
      keyframeRef("evidence[" + i + "]", evidence.get(i));
    }
    return a;
  }

  /** Checks a summary before delivery: its camera id (see {@link #alert}) and keyframe refs. */
  public static io.streamsight.schemas.avro.Summary summary(io.streamsight.schemas.avro.Summary s) {
    CameraIds.check("cameraId", s.getCameraId());
    List<io.streamsight.schemas.avro.KeyframeRef> refs = s.getKeyframes();
    for (int i = 0; refs != null && i < refs.size(); i++) {
      keyframeRef("keyframes[" + i + "]", refs.get(i));
    }
    return s;
  }

  /**
   * A reference to a keyframe: on {@code cameras.keyframes} (readers fetch the image by it, so a
   * reference elsewhere would make them read, and show, any record), partition and offset not
   * negative.
   */
  public static io.streamsight.schemas.avro.KeyframeRef keyframeRef(
      String field, io.streamsight.schemas.avro.KeyframeRef r) {
    String topic = io.streamsight.schemas.topics.Topics.KEYFRAMES.name();
    if (!topic.equals(r.getTopic())) {
      throw new InvalidRecordException(
          field + ".topic", "'" + Printable.of(String.valueOf(r.getTopic())) + "' is not " + topic);
    }
    if (r.getPartition() < 0) {
      throw new InvalidRecordException(
          field + ".partition", "is negative (" + r.getPartition() + ")");
    }
    if (r.getOffset() < 0) {
      throw new InvalidRecordException(field + ".offset", "is negative (" + r.getOffset() + ")");
    }
    return r;
  }

  /** An id that travels as an HTTP header value: 1 to 128 visible ASCII characters. */
  public static String deliveryId(String field, String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidRecordException(field, "is empty");
    }
    if (id.length() > MAX_ALERT_ID_CHARS) {
      throw new InvalidRecordException(
          field, "is " + id.length() + " characters long (at most " + MAX_ALERT_ID_CHARS + ")");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new InvalidRecordException(
            field,
            "'"
                + Printable.of(id)
                + "' has "
                + Printable.describe(c)
                + " at position "
                + i
                + " (visible ASCII only)");
      }
    }
    return id;
  }

  /**
   * The checks a record of a Streamsight topic must pass before {@code publish} writes it: rules,
   * questions, alerts and summaries as above; records of other types as they are (the JSON shape is
   * checked by the reader).
   */
  public static Object published(Object value) {
    if (value instanceof AlertRule r) {
      return alertRule(null, r);
    }
    if (value instanceof Query q) {
      return query(q);
    }
    if (value instanceof io.streamsight.schemas.avro.Alert a) {
      return alert(a);
    }
    if (value instanceof io.streamsight.schemas.avro.Summary s) {
      return summary(s);
    }
    return value;
  }
}
