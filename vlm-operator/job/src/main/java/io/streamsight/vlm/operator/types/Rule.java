package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.validation.CameraGlob;
import io.streamsight.schemas.validation.RecordChecks;

/** A validated alert rule (from {@link AlertRule}). */
public record Rule(
    String id,
    String cameraGlob,
    String question,
    double threshold,
    long cooldownMicros,
    String severity,
    boolean enabled) {

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
        r.getEnabled());
  }

  /** See {@link CameraGlob}: {@code *} any run of characters, {@code ?} one character. */
  public boolean matches(String cameraId) {
    return CameraGlob.matches(cameraGlob, cameraId);
  }
}
