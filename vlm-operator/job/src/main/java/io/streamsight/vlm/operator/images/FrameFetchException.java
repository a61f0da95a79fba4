package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.types.FrameRef;

/**
 * A keyframe's image could not be read back from Kafka. Fatal as such: the record is gone
 * (retention or compaction deleted it, the topic was re-created) or is not the keyframe the
 * reference says; asking again cannot help. {@link RetriableFrameFetchException} is the kind that
 * may succeed later (Kafka did not answer in time).
 */
public class FrameFetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient FrameRef ref;

  public FrameFetchException(FrameRef ref, String why, Throwable cause) {
    super(describe(ref) + ": " + why, cause);
    this.ref = ref;
  }

  public FrameRef ref() {
    return ref;
  }

  public boolean retriable() {
    return false;
  }

  static String describe(FrameRef f) {
    return "keyframe "
        + f.where()
        + " (camera "
        + f.cameraId()
        + ", sequence "
        + f.sequence()
        + ", captured "
        + f.captureMicros()
        + " us)";
  }
}
