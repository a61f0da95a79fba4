package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import java.io.Serializable;

/**
 * How a TaskManager gets its model. Shipped inside the job graph, so it must be serialisable and
 * cheap; the model itself is opened once per TaskManager by {@link InferenceServices}.
 */
public interface ModelProvider extends Serializable {
  /** Identity of the model (e.g. its directory): one inference service per key per JVM. */
  String key();

  /** Loads the model; called once per TaskManager while the service is in use. */
  VisionLanguageModel open();

  /**
   * This provider on the GPU with {@code index} (from the TaskManager's Flink external resource).
   * Models that do not run on a GPU ignore it.
   */
  default ModelProvider onGpu(int index) {
    return this;
  }
}
