package io.streamsight.vlm.operator.types;

import io.streamsight.vlm.api.FinishReason;

/**
 * How an {@link InferenceTask} ended: the model's own finish reason, or why the task never reached
 * the model. Produced by the inference function and read by the outcome emitter, so both agree on
 * one type instead of on spellings.
 */
public enum TaskFinish {
  /** The model generated an end-of-sequence token. */
  STOP("stop"),
  /** The model reached the token limit. */
  MAX_TOKENS("max_tokens"),
  /** A score-only call (one prefill pass). */
  SCORED("scored"),
  /** Inference failed or timed out; the outcome's error says why. */
  ERROR("error"),
  /** Dropped because inference lagged event time beyond its budget. */
  SHED("shed"),
  /** A question whose deadline passed before it was asked. */
  EXPIRED("expired"),
  /** A question about a camera with no keyframes yet. */
  UNKNOWN_CAMERA("unknown-camera"),
  /**
   * None of the window's keyframe images could be read (deleted from the topic, or Kafka did not
   * answer in time); the outcome's error names each frame and why. A summary is dead-lettered.
   */
  FRAMES_UNAVAILABLE("frames-unavailable");

  private final String wireName;

  TaskFinish(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling written to {@code Summary.finishReason} (the model's reasons, lower case). */
  public String wireName() {
    return wireName;
  }

  public static TaskFinish of(FinishReason r) {
    return switch (r) {
      case STOP -> STOP;
      case MAX_TOKENS -> MAX_TOKENS;
      case SCORED -> SCORED;
      case ERROR -> ERROR;
    };
  }
}
