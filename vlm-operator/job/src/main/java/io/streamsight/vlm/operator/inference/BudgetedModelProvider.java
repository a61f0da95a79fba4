package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;

/**
 * A model with a token budget per hour ({@code models.<name>.tokensPerHour}): its {@link
 * TokenBudgetModel} throws {@link io.streamsight.vlm.api.ModelUnavailableException} while the
 * budget is spent, which the job treats like a server that is down (the next model named for the
 * task, else shed, counted). One budget per TaskManager, since the model is opened once per
 * TaskManager and key.
 */
public record BudgetedModelProvider(ModelProvider inner, long tokensPerHour)
    implements ModelProvider {
  @Override
  public String key() {
    return inner.key() + " budget " + tokensPerHour + " tokens/h";
  }

  @Override
  public VisionLanguageModel open() {
    return new TokenBudgetModel(inner.open(), tokensPerHour, System::nanoTime);
  }

  @Override
  public ModelProvider onGpu(int index) {
    return new BudgetedModelProvider(inner.onGpu(index), tokensPerHour);
  }
}
