package io.streamsight.vlm.operator.types;

/** What reaches a camera's keyed state: a closed window or a question about the camera. */
public record CameraEvent(WindowFrames window, QueryIn query) {
  public String cameraId() {
    return window != null ? window.cameraId() : query.cameraId();
  }

  public static CameraEvent of(WindowFrames w) {
    return new CameraEvent(w, null);
  }

  public static CameraEvent of(QueryIn q) {
    return new CameraEvent(null, q);
  }
}
