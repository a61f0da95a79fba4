package io.streamsight.vlm.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Model families the engine can run, by {@code config.json}'s {@code model_type}. Each family fixes
 * the preprocessing and prompt layout; an unknown type is an error naming it.
 */
public final class ModelFamilies {
  /** The SmolVLM / Idefics3 layout (SigLIP tiles + global image, pixel-shuffle connector). */
  public static final String IDEFICS3 = "idefics3";

  private static final Map<String, String> FAMILIES =
      new TreeMap<>(Map.of("idefics3", IDEFICS3, "smolvlm", IDEFICS3));

  private ModelFamilies() {}

  public static String require(ModelDirectory dir) {
    String family = FAMILIES.get(dir.modelType());
    if (family == null) {
      throw new ModelLoadException(
          dir.root().resolve("config.json"),
          "unknown model_type '" + dir.modelType() + "', supported: " + FAMILIES.keySet());
    }
    return family;
  }
}
