package io.streamsight.vlm.api;

/**
 * How many image tokens a request may spend per image.
 *
 * @param maxTilesPerImage cap on the local tiles per image; {@link Integer#MAX_VALUE} keeps the
 *     published preprocessing, 0 sends only the global image (SmolVLM's video mode, one tile's
 *     worth of tokens per frame)
 */
public record ImageBudget(int maxTilesPerImage) {
  public static final ImageBudget PUBLISHED = new ImageBudget(Integer.MAX_VALUE);
  public static final ImageBudget GLOBAL_ONLY = new ImageBudget(0);

  public ImageBudget {
    if (maxTilesPerImage < 0) {
      throw new IllegalArgumentException("maxTilesPerImage must be >= 0");
    }
  }
}
