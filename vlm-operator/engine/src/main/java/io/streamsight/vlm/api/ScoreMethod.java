package io.streamsight.vlm.api;

/** How a SCORE result's p(yes) was read. */
public enum ScoreMethod {
  /** From the next-token logits of the in-process engine. */
  LOGITS,
  /** From a model server's {@code top_logprobs} for the first generated token. */
  LOGPROBS,
  /**
   * From the answer's text (yes = 1, no = 0) because the server returned no logprobs: a declared
   * fallback, coarser than the other two.
   */
  TEXT
}
