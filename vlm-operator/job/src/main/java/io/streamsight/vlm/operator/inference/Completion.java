package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VlmResult;

/**
 * How one submitted request ended in the {@link InferenceService}.
 *
 * @param result null when shed or unavailable
 * @param queueMillis time from submission to the start of its batch
 * @param batchSize requests in the model run that served it
 * @param unavailable why the model could not take it ({@link
 *     io.streamsight.vlm.api.ModelUnavailableException}: server down, circuit open, budget spent),
 *     else null; such a request is shed like one that lagged, or goes to the next model
 * @param budgetSpent whether {@code unavailable} is a spent token budget (counted apart)
 */
public record Completion(
    VlmResult result,
    boolean shed,
    double queueMillis,
    int batchSize,
    String unavailable,
    boolean budgetSpent) {
  public Completion(VlmResult result, boolean shed, double queueMillis, int batchSize) {
    this(result, shed, queueMillis, batchSize, null, false);
  }

  static Completion shed(double queueMillis) {
    return new Completion(null, true, queueMillis, 0);
  }

  static Completion unavailable(String why, boolean budgetSpent, double queueMillis) {
    return new Completion(null, false, queueMillis, 0, why, budgetSpent);
  }

  /** True when the model could not take the request (see {@link #unavailable()}). */
  public boolean isUnavailable() {
    return unavailable != null;
  }
}
