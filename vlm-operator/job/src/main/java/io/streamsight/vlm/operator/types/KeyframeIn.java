package io.streamsight.vlm.operator.types;

/** One record read from {@code cameras.keyframes}: either a usable frame or a rejection. */
public record KeyframeIn(FrameRef frame, Rejected rejected) {
  public static KeyframeIn of(FrameRef frame) {
    return new KeyframeIn(frame, null);
  }

  public static KeyframeIn rejected(Rejected rejected) {
    return new KeyframeIn(null, rejected);
  }
}
