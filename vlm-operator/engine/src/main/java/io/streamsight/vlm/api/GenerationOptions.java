package io.streamsight.vlm.api;

/**
 * Decoding settings of one request.
 *
 * @param temperature 0 = greedy
 * @param topP nucleus sampling mass (1 = off); used only when temperature > 0
 * @param seed sampling seed, so sampled runs are repeatable
 */
public record GenerationOptions(
    int maxNewTokens, double temperature, double topP, long seed, ImageBudget budget) {
  public static final GenerationOptions DEFAULT = greedy(64, ImageBudget.PUBLISHED);

  public GenerationOptions {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1");
    }
    if (temperature < 0 || topP <= 0 || topP > 1) {
      throw new IllegalArgumentException("temperature must be >= 0 and topP in (0, 1]");
    }
    budget = budget == null ? ImageBudget.PUBLISHED : budget;
  }

  public static GenerationOptions greedy(int maxNewTokens, ImageBudget budget) {
    return new GenerationOptions(maxNewTokens, 0, 1, 0, budget);
  }
}
