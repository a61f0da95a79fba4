package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VlmResult;

/**
 * How one submitted request ended in the {@link InferenceService}.
 *
 * @param result null when shed
 * @param queueMillis time from submission to the start of its batch
 * @param batchSize requests in the model run that served it
 */
public record Completion(VlmResult result, boolean shed, double queueMillis, int batchSize) {
  static Completion shed(double queueMillis) {
    return new Completion(null, true, queueMillis, 0);
  }
}
