package io.streamsight.testkit.vlm;

/**
 * Sizes of a random-weight Idefics3 model: realistic compute and memory without real weights.
 *
 * @param tile vision tile edge (px); tokens per tile = (tile / patch / scaleFactor)^2
 */
public record ModelDims(
    int textLayers,
    int hidden,
    int heads,
    int kvHeads,
    int intermediate,
    int vocab,
    int visionLayers,
    int visionHidden,
    int visionHeads,
    int visionIntermediate,
    int tile,
    int patch,
    int scaleFactor,
    int longestEdge) {

  /** HuggingFaceTB/SmolVLM-256M-Instruct's sizes. */
  public static final ModelDims SMOLVLM_256M =
      new ModelDims(30, 576, 9, 3, 1536, 49280, 12, 768, 12, 3072, 512, 16, 4, 2048);

  /** A small model of the same shape, for quick tests of the benchmark harness. */
  public static final ModelDims TINY =
      new ModelDims(2, 64, 4, 2, 128, 1000, 2, 32, 2, 64, 64, 16, 2, 128);

  public ModelDims {
    if (hidden % heads != 0 || heads % kvHeads != 0 || tile % (patch * scaleFactor) != 0) {
      throw new IllegalArgumentException("inconsistent model dims " + this);
    }
  }

  public int headDim() {
    return hidden / heads;
  }

  public int tokensPerTile() {
    int side = tile / patch / scaleFactor;
    return side * side;
  }

  public static ModelDims parse(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "smolvlm-256m", "256m" -> SMOLVLM_256M;
      case "tiny" -> TINY;
      default ->
          throw new IllegalArgumentException(
              "unknown model dims '" + name + "', expected smolvlm-256m or tiny");
    };
  }
}
