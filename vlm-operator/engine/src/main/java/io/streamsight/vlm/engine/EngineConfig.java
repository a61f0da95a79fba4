package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.RuntimeConfig;

/**
 * Engine settings. There is no batch size here: {@link VlmEngine#run} runs what it is given as one
 * batch, and the caller (the operator's inference service, {@code inference.maxBatch}) sizes it.
 *
 * @param visionTilesPerRun tiles per vision-encoder run, bounding its activation memory
 * @param maxPromptTokens hard cap on prompt + new tokens, below the model's context (0 = context)
 */
public record EngineConfig(
    ModelVariant variant, RuntimeConfig runtime, int visionTilesPerRun, int maxPromptTokens) {

  public static final EngineConfig DEFAULT =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.AUTO, 16, 0);
  public static final EngineConfig CPU =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.CPU, 16, 0);

  public EngineConfig {
    if (visionTilesPerRun < 1 || maxPromptTokens < 0) {
      throw new IllegalArgumentException("visionTilesPerRun must be >= 1, maxPromptTokens >= 0");
    }
  }

  public EngineConfig withVariant(ModelVariant v) {
    return new EngineConfig(v, runtime, visionTilesPerRun, maxPromptTokens);
  }

  public EngineConfig withRuntime(RuntimeConfig r) {
    return new EngineConfig(variant, r, visionTilesPerRun, maxPromptTokens);
  }

  public EngineConfig withMaxPromptTokens(int n) {
    return new EngineConfig(variant, runtime, visionTilesPerRun, n);
  }
}
