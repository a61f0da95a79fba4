package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model families the engine can run, by {@code config.json}'s {@code model_type}: the engine
 * takes its image processor and prompt builder from the family selected here. An unknown type is an
 * error naming it and the known ones. Florence-2 or CLIP-style scorers would be added here.
 */
public final class ModelFamilies {
  /** SmolVLM / Idefics3 (SmolVLM exports declare either model_type). */
  public static final ModelFamily IDEFICS3 = new Idefics3Family();

  private static final Map<String, ModelFamily> BY_MODEL_TYPE =
      new TreeMap<>(Map.of("idefics3", IDEFICS3, "smolvlm", IDEFICS3));

  private ModelFamilies() {}

  /** The known {@code model_type} values, sorted. */
  public static Set<String> modelTypes() {
    return BY_MODEL_TYPE.keySet();
  }

  /** The family of a model directory, from its {@code config.json}. */
  public static ModelFamily select(ModelDirectory dir) {
    return select(dir.modelType(), dir.root().resolve("config.json"));
  }

  /**
   * @param configFile where {@code modelType} was read, named in the error
   */
  public static ModelFamily select(String modelType, Path configFile) {
    ModelFamily family = BY_MODEL_TYPE.get(modelType);
    if (family == null) {
      throw new ModelLoadException(
          configFile,
          "unknown model_type '"
              + modelType
              + "'; known model families (model_type): "
              + String.join(", ", modelTypes()));
    }
    return family;
  }
}
