package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.WindowFrames;

/** Small builders of operator records for harness tests. */
final class Frames {
  private Frames() {}

  static FrameRef frame(String camera, long captureMillis, float novelty) {
    return new FrameRef(
        camera,
        captureMillis * 1000,
        captureMillis,
        "cameras.keyframes",
        0,
        captureMillis,
        novelty,
        false);
  }

  /** A sampler progress record: event time only, no image. */
  static FrameRef progress(String camera, long captureMillis) {
    return new FrameRef(
        camera, captureMillis * 1000, -1, "cameras.keyframes", 0, captureMillis, 0f, true);
  }

  static WindowFrames window(String camera, long startMillis, long endMillis) {
    return new WindowFrames(
        camera,
        startMillis * 1000,
        endMillis * 1000,
        new FrameRef[] {frame(camera, startMillis + 1, 1f)},
        true);
  }

  /** The window so far (not closed), as a keyframe arrival sends it for early rule scoring. */
  static WindowFrames soFar(String camera, long startMillis, long endMillis) {
    WindowFrames w = window(camera, startMillis, endMillis);
    return new WindowFrames(camera, w.windowStartMicros(), w.windowEndMicros(), w.frames(), false);
  }

  static Rule rule(String id, String glob, String question, double threshold, long cooldownMillis) {
    return new Rule(id, glob, question, threshold, cooldownMillis * 1000, "HIGH", true);
  }
}
