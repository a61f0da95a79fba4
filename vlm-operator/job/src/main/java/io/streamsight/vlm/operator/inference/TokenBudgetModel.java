package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A token bucket in front of a model: it holds at most {@code tokensPerHour} tokens and refills at
 * that rate; a batch runs while the bucket is above zero and is charged afterwards with the prompt
 * and completion tokens its results report (the cost is only known then, so one batch may take the
 * bucket below zero: the overshoot is at most one batch). An empty bucket fails the whole batch
 * with {@link BudgetSpentException}. Wall time, so a replay may spend differently; outputs never
 * depend on it beyond which model answered (the record's {@code modelId} says).
 */
final class TokenBudgetModel implements VisionLanguageModel {
  private static final double NANOS_PER_HOUR = 3600e9;
  private final VisionLanguageModel model;
  private final long capacity;
  private final LongSupplier nanos;
  private double tokens;
  private long refilledAt;

  TokenBudgetModel(VisionLanguageModel model, long tokensPerHour, LongSupplier nanos) {
    this.model = model;
    this.capacity = tokensPerHour;
    this.nanos = nanos;
    this.tokens = tokensPerHour;
    this.refilledAt = nanos.getAsLong();
  }

  /** A spent budget: the model is fine, but may not be asked for now. */
  static final class BudgetSpentException extends ModelUnavailableException {
    BudgetSpentException(String modelId, String message) {
      super(modelId, message);
    }
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  /** Tokens left now (negative after an overshoot). */
  synchronized double left() {
    refill();
    return tokens;
  }

  @Override
  public List<VlmResult> run(List<VlmRequest> requests) {
    synchronized (this) {
      refill();
      if (tokens <= 0) {
        throw new BudgetSpentException(
            model.modelId(),
            "token budget of " + capacity + " per hour spent (" + Math.round(tokens) + " left)");
      }
    }
    List<VlmResult> results = model.run(requests);
    long used = 0;
    for (VlmResult r : results) {
      used += Math.max(0, r.promptTokens()) + Math.max(0, r.generatedTokens());
    }
    synchronized (this) {
      tokens -= used;
    }
    return results;
  }

  private void refill() {
    long now = nanos.getAsLong();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * (capacity / NANOS_PER_HOUR));
    refilledAt = now;
  }

  @Override
  public void close() {
    model.close();
  }
}
