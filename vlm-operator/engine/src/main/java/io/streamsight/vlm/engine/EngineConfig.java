package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.RuntimeConfig;

/**
 * Engine settings.
 *
 * @param maxBatchSize requests per decoder run; larger batches amortise weights over more rows
 * @param visionTilesPerRun tiles per vision-encoder run, bounding its activation memory
 * @param maxPromptTokens hard cap on prompt + new tokens, below the model's context (0 = context)
 */
public record EngineConfig(
    ModelVariant variant,
    RuntimeConfig runtime,
    int maxBatchSize,
    int visionTilesPerRun,
    int maxPromptTokens) {

  public static final EngineConfig DEFAULT =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.AUTO, 8, 16, 0);
  public static final EngineConfig CPU =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.CPU, 8, 16, 0);

  public EngineConfig {
    if (maxBatchSize < 1 || visionTilesPerRun < 1 || maxPromptTokens < 0) {
      throw new IllegalArgumentException(
          "maxBatchSize and visionTilesPerRun must be >= 1, maxPromptTokens >= 0");
    }
  }

  public EngineConfig withVariant(ModelVariant v) {
    return new EngineConfig(v, runtime, maxBatchSize, visionTilesPerRun, maxPromptTokens);
  }

  public EngineConfig withRuntime(RuntimeConfig r) {
    return new EngineConfig(variant, r, maxBatchSize, visionTilesPerRun, maxPromptTokens);
  }

  public EngineConfig withMaxBatchSize(int n) {
    return new EngineConfig(variant, runtime, n, visionTilesPerRun, maxPromptTokens);
  }

  public EngineConfig withMaxPromptTokens(int n) {
    return new EngineConfig(variant, runtime, maxBatchSize, visionTilesPerRun, n);
  }
}
