package io.streamsight.vlm.preprocess;

/** Turns one decoded image into the vision encoder's input tiles; one implementation per family. */
public interface ImageProcessor {
  /**
   * @param maxTiles local tiles allowed for this image (0 = the global image only)
   */
  ProcessedImage process(RgbImage image, int maxTiles);
}
