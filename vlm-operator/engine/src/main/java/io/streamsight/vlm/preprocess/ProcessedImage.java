package io.streamsight.vlm.preprocess;

/**
 * One image ready for the vision encoder.
 *
 * @param tiles normalised CHW float tiles, local tiles row by row then the global image last
 * @param tileSize square tile edge in pixels
 */
public record ProcessedImage(TileLayout layout, float[][] tiles, int tileSize) {}
