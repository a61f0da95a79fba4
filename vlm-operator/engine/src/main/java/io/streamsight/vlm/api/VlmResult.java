package io.streamsight.vlm.api;

import java.util.List;

/**
 * The outcome of one request.
 *
 * @param text generated text (empty for SCORE)
 * @param tokenIds generated token ids, without the prompt
 * @param pYes p(yes) for SCORE, {@code NaN} otherwise
 * @param error why the request failed when {@code finishReason == ERROR}, else {@code null}
 * @param scoreMethod how {@code pYes} was read (SCORE only; {@code null} otherwise)
 * @param logprobs per generated token, when the request asked for {@link
 *     GenerationOptions#topLogprobs()}; empty otherwise
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
    ScoreMethod scoreMethod,
    List<TokenLogprobs> logprobs) {

  public VlmResult {
    logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
  }

  /** A result without log-probabilities. */
  public VlmResult(
      String text,
      long[] tokenIds,
      double pYes,
      int promptTokens,
      int generatedTokens,
      FinishReason finishReason,
      Timings timings,
      String error,
      ScoreMethod scoreMethod) {
    this(
        text,
        tokenIds,
        pYes,
        promptTokens,
        generatedTokens,
        finishReason,
        timings,
        error,
        scoreMethod,
        List.of());
  }

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
