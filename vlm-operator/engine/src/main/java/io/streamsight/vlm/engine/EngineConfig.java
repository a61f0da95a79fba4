package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.RuntimeConfig;

/**
 * Engine settings. There is no batch size here: {@link VlmEngine#run} runs what it is given as one
 * batch, and the caller (the operator's inference service, {@code inference.maxBatch}) sizes it.
 *
 * @param visionTilesPerRun tiles per vision-encoder run, bounding its activation memory
 * @param maxPromptTokens hard cap on prompt + new tokens, below the model's context (0 = context)
 * @param featureCacheBytes bound on the preprocessed images and vision features kept across runs
 *     (by image array identity; 0 = none), so a frame scored again by a later batch is neither
 *     decoded nor encoded again. Pixels are kept only until the image's tiles are encoded, then
 *     only the features: for SmolVLM-256M ~147 KB per tile, so the default {@link
 *     #DEFAULT_FEATURE_CACHE_BYTES} (64 MiB, on the Java heap) holds ~450 tiles, the keyframes of
 *     the open windows of tens of cameras.
 */
public record EngineConfig(
    ModelVariant variant,
    RuntimeConfig runtime,
    int visionTilesPerRun,
    int maxPromptTokens,
    long featureCacheBytes) {

  public static final long DEFAULT_FEATURE_CACHE_BYTES = 64L << 20;

  public static final EngineConfig DEFAULT =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.AUTO, 16, 0, DEFAULT_FEATURE_CACHE_BYTES);
  public static final EngineConfig CPU =
      new EngineConfig(ModelVariant.FP32, RuntimeConfig.CPU, 16, 0, DEFAULT_FEATURE_CACHE_BYTES);

  public EngineConfig {
    if (visionTilesPerRun < 1 || maxPromptTokens < 0 || featureCacheBytes < 0) {
      throw new IllegalArgumentException(
          "visionTilesPerRun must be >= 1, maxPromptTokens >= 0, featureCacheBytes >= 0");
    }
  }

  public EngineConfig withVariant(ModelVariant v) {
    return new EngineConfig(v, runtime, visionTilesPerRun, maxPromptTokens, featureCacheBytes);
  }

  public EngineConfig withRuntime(RuntimeConfig r) {
    return new EngineConfig(variant, r, visionTilesPerRun, maxPromptTokens, featureCacheBytes);
  }

  public EngineConfig withMaxPromptTokens(int n) {
    return new EngineConfig(variant, runtime, visionTilesPerRun, n, featureCacheBytes);
  }

  public EngineConfig withFeatureCacheBytes(long bytes) {
    return new EngineConfig(variant, runtime, visionTilesPerRun, maxPromptTokens, bytes);
  }
}
