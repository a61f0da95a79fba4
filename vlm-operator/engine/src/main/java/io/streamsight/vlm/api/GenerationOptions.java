package io.streamsight.vlm.api;

/**
 * Decoding settings of one request.
 *
 * @param temperature 0 = greedy
 * @param topP nucleus sampling mass (1 = off); used only when temperature > 0
 * @param seed sampling seed, so sampled runs are repeatable
 * @param topLogprobs how many most likely tokens each generated position reports in {@link
 *     VlmResult#logprobs()} (0 = none: no log-probabilities are computed); at most {@value
 *     #MAX_TOP_LOGPROBS}
 */
public record GenerationOptions(
    int maxNewTokens,
    double temperature,
    double topP,
    long seed,
    ImageBudget budget,
    int topLogprobs) {
  public static final GenerationOptions DEFAULT = greedy(64, ImageBudget.PUBLISHED);

  /** OpenAI's bound on {@code top_logprobs}; each costs a token decode per generated position. */
  public static final int MAX_TOP_LOGPROBS = 20;

  public GenerationOptions {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1");
    }
    if (temperature < 0 || topP <= 0 || topP > 1) {
      throw new IllegalArgumentException("temperature must be >= 0 and topP in (0, 1]");
    }
    if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
      throw new IllegalArgumentException("topLogprobs must be 0.." + MAX_TOP_LOGPROBS);
    }
    budget = budget == null ? ImageBudget.PUBLISHED : budget;
  }

  /** Without log-probabilities. */
  public GenerationOptions(
      int maxNewTokens, double temperature, double topP, long seed, ImageBudget budget) {
    this(maxNewTokens, temperature, topP, seed, budget, 0);
  }

  /** These options, reporting the {@code k} most likely tokens of each generated position. */
  public GenerationOptions withTopLogprobs(int k) {
    return new GenerationOptions(maxNewTokens, temperature, topP, seed, budget, k);
  }

  public static GenerationOptions greedy(int maxNewTokens, ImageBudget budget) {
    return new GenerationOptions(maxNewTokens, 0, 1, 0, budget);
  }
}
