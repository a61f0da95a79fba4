package io.streamsight.vlm.operator.alerts;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.vlm.operator.types.FrameRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Builds the {@link Alert} records of an event, in one place: every phase carries the event's id,
 * rule, start window and event start; later phases add what is known by then.
 *
 * <p>Fields that describe how a score was read or verified ({@code scoreMethod}, {@code
 * verification}) are not set here: they belong to the inference side and are copied onto the
 * records by whoever fills them.
 */
public final class AlertRecords {
  /** Why an event ended (the record's {@code endReason}). */
  public enum EndReason {
    /** The condition was false for the rule's clearAfter. */
    CLEARED,
    /** The camera stopped sending frames (or the input ended). */
    CAMERA_ENDED,
    /** The rule's maxDuration passed. */
    MAX_DURATION,
    /** The rule was deleted or disabled while the event was open. */
    RULE_REMOVED
  }

  private AlertRecords() {}

  /** Deterministic id: the same rule, camera and window always give the same id. */
  public static String alertId(String ruleId, String cameraId, long startMicros, long endMicros) {
    String name = ruleId + '\u0000' + cameraId + '\u0000' + startMicros + '\u0000' + endMicros;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The common part of every record of {@code s}'s event. */
  static Alert.Builder base(String cameraId, EventState s, AlertPhase phase, double pYes) {
    return Alert.newBuilder()
        .setAlertId(s.eventId(cameraId))
        .setRuleId(s.rule().id())
        .setCameraId(cameraId)
        .setQuestion(s.rule().question())
        .setPYes(pYes)
        .setThreshold(s.rule().threshold())
        .setSeverity(Severity.valueOf(s.rule().severity()))
        .setWindowStartMicros(s.startWindowStartMicros())
        .setWindowEndMicros(s.startWindowEndMicros())
        .setEvidence(Arrays.stream(s.evidence()).map(FrameRef::toRef).toList())
        .setModelId(s.modelId())
        .setPhase(phase)
        .setEventStartMicros(s.startMicros())
        .setPeakPYes(s.peakPYes())
        .setSummaryText(s.summaryText());
  }

  static Alert started(String cameraId, EventState s, InferenceTimings timings) {
    return base(cameraId, s, AlertPhase.STARTED, s.lastPYes()).setTimings(timings).build();
  }

  static Alert updated(String cameraId, EventState s) {
    return base(cameraId, s, AlertPhase.UPDATED, s.lastPYes()).build();
  }

  static Alert ended(String cameraId, EventState s, long endMicros, EndReason why) {
    return base(cameraId, s, AlertPhase.ENDED, s.lastPYes())
        .setEventEndMicros(endMicros)
        .setEndReason(why.name())
        .build();
  }

  /** True for the record that opens an event (see {@link AlertEvents#opens}). */
  public static boolean opens(Alert a) {
    return AlertEvents.opens(a);
  }
}
