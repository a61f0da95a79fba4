package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.validation.CameraGlob;
import io.streamsight.schemas.validation.RecordChecks;

/**
 * A validated alert rule (from {@link AlertRule}).
 *
 * @param hysteresis an open event stays open while p(yes) >= threshold - hysteresis
 * @param clearAfterMicros an event ends once its condition has been false this long (event time)
 * @param maxDurationMicros an event ends at the latest this long after it started
 * @param minDurationMicros the condition must hold this long before an event starts
 * @param schedule active hours ({@link io.streamsight.schemas.validation.Schedule}), null = always
 * @param verifyWith the declared model that must agree before an alert is emitted (a verification
 *     cascade), or null
 */
public record Rule(
    String id,
    String cameraGlob,
    String question,
    double threshold,
    long cooldownMicros,
    String severity,
    boolean enabled,
    double hysteresis,
    long clearAfterMicros,
    long maxDurationMicros,
    long minDurationMicros,
    String schedule,
    String verifyWith) {

  /** A rule with the schema's default event timing and no verifier (tests, old rules). */
  public Rule(
      String id,
      String cameraGlob,
      String question,
      double threshold,
      long cooldownMicros,
      String severity,
      boolean enabled) {
    this(id, cameraGlob, question, threshold, cooldownMicros, severity, enabled, null);
  }

  /** A rule with a verifier and the schema's default event timing. */
  public Rule(
      String id,
      String cameraGlob,
      String question,
      double threshold,
      long cooldownMicros,
      String severity,
      boolean enabled,
      String verifyWith) {
    this(
        id,
        cameraGlob,
        question,
        threshold,
        cooldownMicros,
        severity,
        enabled,
        0.1,
        10_000_000L,
        600_000_000L,
        0L,
        null,
        verifyWith);
  }

  /** A rule with event timing and no verifier. */
  public Rule(
      String id,
      String cameraGlob,
      String question,
      double threshold,
      long cooldownMicros,
      String severity,
      boolean enabled,
      double hysteresis,
      long clearAfterMicros,
      long maxDurationMicros,
      long minDurationMicros,
      String schedule) {
    this(
        id,
        cameraGlob,
        question,
        threshold,
        cooldownMicros,
        severity,
        enabled,
        hysteresis,
        clearAfterMicros,
        maxDurationMicros,
        minDurationMicros,
        schedule,
        null);
  }

  /**
   * Checks an {@link AlertRule} with the shared {@link RecordChecks} (the CLI uses the same) and
   * converts it.
   *
   * @throws io.streamsight.schemas.validation.InvalidRecordException naming the bad field
   */
  public static Rule from(String key, AlertRule r) {
    RecordChecks.alertRule(key, r);
    return new Rule(
        r.getId(),
        r.getCameraGlob(),
        r.getQuestion(),
        r.getThreshold(),
        r.getCooldownMicros(),
        r.getSeverity().name(),
        r.getEnabled(),
        r.getHysteresis(),
        r.getClearAfterMicros(),
        r.getMaxDurationMicros(),
        r.getMinDurationMicros(),
        r.getSchedule(),
        r.getVerifyWith() == null || r.getVerifyWith().isBlank() ? null : r.getVerifyWith());
  }

  /** See {@link CameraGlob}: {@code *} any run of characters, {@code ?} one character. */
  public boolean matches(String cameraId) {
    return CameraGlob.matches(cameraGlob, cameraId);
  }

  /**
   * The p(yes) an open event needs to stay open: threshold - hysteresis, the hysteresis capped at
   * half the threshold so that an event can always clear (a rule with threshold 0.08 and the
   * default hysteresis 0.1 would otherwise stay open whatever the model said).
   */
  public double keepOpenAt() {
    return threshold - Math.min(hysteresis, threshold / 2);
  }
}
