package io.streamsight.vlm.api;

/**
 * The outcome of one request.
 *
 * @param text generated text (empty for SCORE)
 * @param tokenIds generated token ids, without the prompt
 * @param pYes p(yes) for SCORE, {@code NaN} otherwise
 * @param error why the request failed when {@code finishReason == ERROR}, else {@code null}
 */
public record VlmResult(
    String text,
    long[] tokenIds,
    double pYes,
    int promptTokens,
    int generatedTokens,
    FinishReason finishReason,
    Timings timings,
    String error) {

  public static VlmResult failed(String error, Timings timings) {
    return new VlmResult("", new long[0], Double.NaN, 0, 0, FinishReason.ERROR, timings, error);
  }
}
