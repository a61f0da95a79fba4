package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.io.Serializable;

/**
 * An in-process model: the ONNX Runtime engine loaded from a model directory on every TaskManager
 * (the same path on each: a shared volume or the image), as {@code --model DIR --variant
 * --provider} does for the one model of a job without {@code models:}.
 */
public record EngineModelConfig(
    @ConfigDoc(
            value = "Model directory (the same path on every TaskManager), as `model pull` wrote.",
            required = true)
        String dir,
    @ConfigDoc(value = "ONNX weights to load (`onnx/<part><suffix>.onnx`).", defaultValue = "fp32")
        ModelVariant variant,
    @ConfigDoc(
            value = "ONNX Runtime execution provider; `auto` tries TensorRT, CUDA, then CPU.",
            defaultValue = "auto")
        ExecutionProvider provider,
    @ConfigDoc(value = "Let TensorRT run layers in fp16.", defaultValue = "true")
        boolean tensorRtFp16)
    implements Serializable {
  public EngineModelConfig {
    Checks.notBlank("dir", dir);
  }
}
