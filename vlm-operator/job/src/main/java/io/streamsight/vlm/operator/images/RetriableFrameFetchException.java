package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.types.FrameRef;

/** Reading a keyframe back may succeed if tried again: Kafka did not answer within the timeout. */
public class RetriableFrameFetchException extends FrameFetchException {
  private static final long serialVersionUID = 1L;

  public RetriableFrameFetchException(FrameRef ref, String why, Throwable cause) {
    super(ref, why, cause);
  }

  @Override
  public boolean retriable() {
    return true;
  }
}
