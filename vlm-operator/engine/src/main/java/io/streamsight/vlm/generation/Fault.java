package io.streamsight.vlm.generation;

/**
 * Deliberate engine bugs, injectable only so tests can prove that the fixture model notices them (a
 * fixture that passes with a broken cache would prove nothing). Never set in production.
 */
public enum Fault {
  /** Decode steps get an empty KV cache instead of the grown one. */
  DROPPED_CACHE,
  /** Decode steps restart position ids at 0 instead of continuing after the prompt. */
  WRONG_POSITIONS,
  /** Image features are merged one tile off (rotated within the request). */
  SHIFTED_MERGE,
  /**
   * The second decode step throws after its decoder run, while the prompt's and that step's KV
   * caches are both held: proves a failure mid-generation releases every native tensor.
   */
  FAIL_MID_DECODE
}
