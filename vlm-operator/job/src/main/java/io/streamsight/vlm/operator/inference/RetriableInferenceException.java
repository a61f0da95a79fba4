package io.streamsight.vlm.operator.inference;

/** A failure worth retrying (the service queue was full, the service was restarting). */
public final class RetriableInferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetriableInferenceException(String message) {
    super(message);
  }
}
