package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.timeline.KeyframeMark;

/**
 * What reaches a camera's digest state, one small record type for the three inputs (so the digest
 * function is a one-input keyed function): a window summary, an alert (only its window end counts),
 * or a tick of the camera's event time (a keyframe's or progress record's capture time, no image).
 * Plain fields so Flink serialises it as a POJO.
 *
 * @param startMicros window start (summaries, alerts); unused for ticks
 * @param endMicros window end (summaries, alerts); the capture time for ticks
 * @param text the summary text; empty for a window the model failed on
 * @param keyframe the window's first keyframe (summaries with keyframes), else null
 * @param shedBefore windows shed before this summary
 * @param failed the model failed on this window (no description: a gap in the timeline)
 */
public record DigestInput(
    Kind kind,
    String cameraId,
    long startMicros,
    long endMicros,
    String text,
    KeyframeMark keyframe,
    int shedBefore,
    boolean failed) {

  /** Which input a record came from. */
  public enum Kind {
    WINDOW,
    ALERT,
    TIME
  }

  public static DigestInput of(Summary s) {
    KeyframeMark mark =
        s.getKeyframes().isEmpty() ? null : KeyframeMarks.of(s.getKeyframes().get(0));
    return new DigestInput(
        Kind.WINDOW,
        s.getCameraId(),
        s.getWindowStartMicros(),
        s.getWindowEndMicros(),
        s.getText(),
        mark,
        s.getWindowsShedBefore(),
        "error".equals(s.getFinishReason()) || s.getText().isBlank() || mark == null);
  }

  public static DigestInput of(Alert a) {
    return new DigestInput(
        Kind.ALERT,
        a.getCameraId(),
        a.getWindowStartMicros(),
        a.getWindowEndMicros(),
        "",
        null,
        0,
        false);
  }

  /** The camera's time as a keyframe (or the sampler's progress record) shows it. */
  public static DigestInput tick(FrameRef f) {
    return new DigestInput(
        Kind.TIME, f.cameraId(), f.captureMicros(), f.captureMicros(), "", null, 0, false);
  }

  /** For tests: a time tick at {@code micros}. */
  public static DigestInput tick(String camera, long micros) {
    return new DigestInput(Kind.TIME, camera, micros, micros, "", null, 0, false);
  }

  /** A reference {@link KeyframeRef} travels as a {@link KeyframeMark}. */
  KeyframeRef keyframeRef() {
    return keyframe == null ? null : KeyframeMarks.toRef(keyframe);
  }
}
