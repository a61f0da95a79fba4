package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import java.nio.file.Path;

/** The production model: the ONNX Runtime engine loaded from a model directory on each worker. */
public record EngineModelProvider(String modelDir) implements ModelProvider {
  @Override
  public String key() {
    return Path.of(modelDir).toAbsolutePath().normalize().toString();
  }

  @Override
  public VisionLanguageModel open() {
    return VlmEngine.load(Path.of(modelDir), EngineConfig.DEFAULT);
  }
}
