package io.streamsight.vlm.api;

/** Why a request ended. */
public enum FinishReason {
  /** An end-of-sequence token from generation_config was generated. */
  STOP,
  /** maxNewTokens reached. */
  MAX_TOKENS,
  /** A score request: one prefill pass, no generation. */
  SCORED,
  /** The request failed; {@link VlmResult#error()} says why. */
  ERROR
}
