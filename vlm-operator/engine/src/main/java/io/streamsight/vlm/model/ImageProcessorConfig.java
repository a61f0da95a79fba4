package io.streamsight.vlm.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Idefics3 image processor settings from {@code preprocessor_config.json}.
 *
 * @param longestEdge {@code size.longest_edge}: the resized image's longest edge
 * @param tileSize {@code max_image_size.longest_edge}: the vision encoder's square tile size
 * @param resample PIL filter code (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic)
 */
public record ImageProcessorConfig(
    boolean doResize,
    int longestEdge,
    boolean doImageSplitting,
    int tileSize,
    int resample,
    boolean doRescale,
    float rescaleFactor,
    boolean doNormalize,
    float[] mean,
    float[] std) {

  static ImageProcessorConfig parse(Path file, JsonNode n) {
    try {
      return new ImageProcessorConfig(
          n.path("do_resize").asBoolean(true),
          Json.requireInt(file, n, "size", "longest_edge"),
          n.path("do_image_splitting").asBoolean(true),
          Json.requireInt(file, n, "max_image_size", "longest_edge"),
          n.path("resample").asInt(1),
          n.path("do_rescale").asBoolean(true),
          (float) n.path("rescale_factor").asDouble(1 / 255.0),
          n.path("do_normalize").asBoolean(true),
          Json.floats(file, n, "image_mean", 3),
          Json.floats(file, n, "image_std", 3));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file, e.getMessage(), e);
    }
  }
}
