package io.streamsight.vlm.api;

/** What a request asks of the model. */
public enum Task {
  /** Free-text description following an instruction. */
  DESCRIBE,
  /** Free-text answer to a question. */
  ASK,
  /** Yes/no probability from one prefill pass. */
  SCORE
}
