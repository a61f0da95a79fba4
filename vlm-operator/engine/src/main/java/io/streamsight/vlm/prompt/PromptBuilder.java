package io.streamsight.vlm.prompt;

import io.streamsight.vlm.preprocess.TileLayout;
import java.util.List;

/** Lays out a family's prompt: chat template, image-token expansion, user text. */
public interface PromptBuilder {
  /** The token id whose positions the vision encoder's output replaces. */
  long imageTokenId();

  /**
   * @param images the tile layout of each image, in prompt order
   */
  Prompt build(List<TileLayout> images, String userText);
}
