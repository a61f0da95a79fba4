package io.streamsight.vlm.api;

/**
 * The outcome of one request.
 *
 * @param text generated text (empty for SCORE)
 * @param tokenIds generated token ids, without the prompt
 * @param pYes p(yes) for SCORE, {@code NaN} otherwise
 * @param error why the request failed when {@code finishReason == ERROR}, else {@code null}
 * @param scoreMethod how {@code pYes} was read (SCORE only; {@code null} otherwise)
 */
public record VlmResult(
    String text,
    long[] tokenIds,
    double pYes,
    int promptTokens,
    int generatedTokens,
    FinishReason finishReason,
    Timings timings,
    String error,
    ScoreMethod scoreMethod) {

  /** A result of the in-process engine: a score's p(yes) comes from its logits. */
  public VlmResult(
      String text,
      long[] tokenIds,
      double pYes,
      int promptTokens,
      int generatedTokens,
      FinishReason finishReason,
      Timings timings,
      String error) {
    this(
        text,
        tokenIds,
        pYes,
        promptTokens,
        generatedTokens,
        finishReason,
        timings,
        error,
        finishReason == FinishReason.SCORED ? ScoreMethod.LOGITS : null);
  }

  public static VlmResult failed(String error, Timings timings) {
    return new VlmResult("", new long[0], Double.NaN, 0, 0, FinishReason.ERROR, timings, error);
  }
}
