package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.validation.CameraGlob;
import io.streamsight.schemas.validation.RecordChecks;

/**
 * A validated alert rule (from {@link AlertRule}).
 *
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
    String verifyWith) {

  /** A rule without a verifier. */
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
        r.getVerifyWith() == null || r.getVerifyWith().isBlank() ? null : r.getVerifyWith());
  }

  /** See {@link CameraGlob}: {@code *} any run of characters, {@code ?} one character. */
  public boolean matches(String cameraId) {
    return CameraGlob.matches(cameraGlob, cameraId);
  }
}
