package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import java.nio.file.Path;
import java.util.Map;

/** The production model: the ONNX Runtime engine loaded from a model directory on each worker. */
public record EngineModelProvider(String modelDir) implements ModelProvider {
  /**
   * Where TensorRT keeps built engines and timing caches on this worker. An environment variable
   * rather than a job option because it names a volume of the TaskManager's pod or host (see
   * deploy/k8s), not a property of the job; without it TensorRT rebuilds engines on every start.
   */
  public static final String TRT_CACHE_ENV = "STREAMSIGHT_TRT_CACHE_DIR";

  @Override
  public String key() {
    return Path.of(modelDir).toAbsolutePath().normalize().toString();
  }

  @Override
  public VisionLanguageModel open() {
    return VlmEngine.load(Path.of(modelDir), engineConfig(System.getenv()));
  }

  /** The engine settings for a worker with this environment. */
  static EngineConfig engineConfig(Map<String, String> env) {
    EngineConfig config = EngineConfig.DEFAULT;
    String trt = env.get(TRT_CACHE_ENV);
    if (trt != null && !trt.isBlank()) {
      config = config.withRuntime(config.runtime().withTrtCacheDir(Path.of(trt.trim())));
    }
    return config;
  }
}
