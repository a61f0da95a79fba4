package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The production model: the ONNX Runtime engine loaded from a model directory on each worker, with
 * the variant and provider chosen at submission and the GPU this TaskManager was given.
 *
 * @param gpuIndex CUDA/TensorRT device index (see {@link GpuDevice}); 0 until {@link #onGpu}
 */
public record EngineModelProvider(String modelDir, EngineOptions options, int gpuIndex)
    implements ModelProvider {
  /**
   * Where TensorRT keeps built engines and timing caches on this worker. An environment variable
   * rather than a job option because it names a volume of the TaskManager's pod or host (see
   * deploy/k8s), not a property of the job; without it TensorRT rebuilds engines on every start.
   */
  public static final String TRT_CACHE_ENV = "STREAMSIGHT_TRT_CACHE_DIR";

  public EngineModelProvider {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(options, "options");
  }

  /** The engine's defaults (fp32, auto provider) on GPU 0: tests and the fixture model. */
  public EngineModelProvider(String modelDir) {
    this(modelDir, EngineOptions.DEFAULT, 0);
  }

  /** One inference service per model directory, options and GPU in a TaskManager. */
  @Override
  public String key() {
    return Path.of(modelDir).toAbsolutePath().normalize()
        + " ["
        + options
        + ", gpu "
        + gpuIndex
        + "]";
  }

  @Override
  public ModelProvider onGpu(int index) {
    return new EngineModelProvider(modelDir, options, index);
  }

  @Override
  public VisionLanguageModel open() {
    return VlmEngine.load(Path.of(modelDir), engineConfig(System.getenv()));
  }

  /** The engine settings for a worker with this environment. */
  EngineConfig engineConfig(Map<String, String> env) {
    RuntimeConfig runtime =
        RuntimeConfig.AUTO
            .withProvider(options.provider())
            .withDeviceId(gpuIndex)
            .withTensorRtFp16(options.tensorRtFp16());
    String trt = env.get(TRT_CACHE_ENV);
    if (trt != null && !trt.isBlank()) {
      runtime = runtime.withTrtCacheDir(Path.of(trt.trim()));
    }
    return EngineConfig.DEFAULT.withVariant(options.variant()).withRuntime(runtime);
  }
}
