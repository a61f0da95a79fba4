package io.streamsight.vlm.api;

/**
 * The model cannot take requests right now: its server is unreachable or keeps failing (a circuit
 * breaker is open), or its budget is spent. Retriable by nature, but callers must not wait for it:
 * the operator sheds the work (counted) instead of stalling checkpoints. Thrown by {@link
 * VisionLanguageModel#run} for the whole call; a failure of one request still comes back as a
 * result with {@link FinishReason#ERROR}.
 */
public class ModelUnavailableException extends RuntimeException {
  private final String modelId;

  public ModelUnavailableException(String modelId, String message, Throwable cause) {
    super(modelId + ": " + message, cause);
    this.modelId = modelId;
  }

  public ModelUnavailableException(String modelId, String message) {
    this(modelId, message, null);
  }

  public String modelId() {
    return modelId;
  }
}
