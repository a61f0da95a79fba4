package io.streamsight.sinks.connect.payload;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Summary;

/**
 * One alert or summary on its way to a subscriber: the decoded record, the id receivers dedupe on
 * (the same on every retry) and the JSON body every transport sends.
 *
 * @param type {@code alert.started}, {@code alert.updated}, {@code alert.ended} or {@code summary}
 * @param id the alert record's deterministic id ({@link Notifications#recordId}), or {@code
 *     <camera>:<windowStartMicros>}
 * @param cameraId the camera the record is about (the ordering key)
 * @param body the UTF-8 JSON body (see docs/subscriptions.md)
 * @param alert the alert, or null for a summary
 * @param summary the summary, or null for an alert
 */
public record Notification(
    String type, String id, String cameraId, byte[] body, Alert alert, Summary summary) {

  public boolean isAlert() {
    return alert != null;
  }
}
