package io.streamsight.vlm.operator.inference;

/**
 * The model itself broke (it threw instead of returning an error result). Fatal for the task: the
 * job restarts from its last checkpoint, which reloads the model.
 */
public final class InferenceFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InferenceFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
