package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * How every TaskManager loads the engine, chosen once where the job is submitted ({@code
 * streamsight operator --variant --provider --[no-]tensorrt-fp16}) and shipped with the job.
 *
 * @param variant which ONNX weights ({@code onnx/<part><suffix>.onnx}) to load
 * @param provider ONNX Runtime execution provider; {@code auto} tries TensorRT, CUDA, then CPU
 * @param tensorRtFp16 whether TensorRT may run layers in fp16 (ignored by other providers)
 */
public record EngineOptions(ModelVariant variant, ExecutionProvider provider, boolean tensorRtFp16)
    implements Serializable {
  /** fp32 weights, {@code auto} provider, TensorRT fp16 allowed: the engine's own defaults. */
  public static final EngineOptions DEFAULT =
      new EngineOptions(ModelVariant.FP32, ExecutionProvider.AUTO, true);

  public EngineOptions {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(provider, "provider");
  }

  public EngineOptions withVariant(ModelVariant v) {
    return new EngineOptions(v, provider, tensorRtFp16);
  }

  @Override
  public String toString() {
    return variant.cliName()
        + ", "
        + provider.name().toLowerCase(Locale.ROOT)
        + (tensorRtFp16 ? "" : ", no TensorRT fp16");
  }
}
