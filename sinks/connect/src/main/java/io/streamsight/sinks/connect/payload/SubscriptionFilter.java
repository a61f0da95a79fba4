package io.streamsight.sinks.connect.payload;

import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.validation.CameraGlob;

/**
 * Which notifications a subscription wants: cameras matching a glob, and alerts at or above a
 * severity (summaries have no severity and pass the severity test).
 */
public record SubscriptionFilter(String cameraGlob, Severity minSeverity) {
  public static final SubscriptionFilter ALL = new SubscriptionFilter("*", Severity.LOW);

  public SubscriptionFilter {
    CameraGlob.check("camera", cameraGlob);
    if (minSeverity == null) {
      throw new IllegalArgumentException("minSeverity is null");
    }
  }

  public boolean accepts(Notification n) {
    if (!CameraGlob.matches(cameraGlob, n.cameraId())) {
      return false;
    }
    return !n.isAlert() || n.alert().getSeverity().ordinal() >= minSeverity.ordinal();
  }
}
