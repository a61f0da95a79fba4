package io.streamsight.vlm.preprocess;

/**
 * How one image is cut: {@code rows x cols} local tiles plus one global image; {@code 0 x 0} means
 * the global image alone (small images, or SmolVLM's video mode).
 */
public record TileLayout(int rows, int cols) {
  public int localTiles() {
    return rows * cols;
  }

  /** Tiles sent to the vision encoder, the global image included. */
  public int tiles() {
    return rows * cols + 1;
  }
}
