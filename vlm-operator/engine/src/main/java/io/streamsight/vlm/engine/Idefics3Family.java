package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.preprocess.Idefics3ImageProcessor;
import io.streamsight.vlm.preprocess.ImageProcessor;
import io.streamsight.vlm.prompt.ChatTemplate;
import io.streamsight.vlm.prompt.Idefics3PromptBuilder;
import io.streamsight.vlm.prompt.PromptBuilder;
import io.streamsight.vlm.prompt.VlmTokenizer;

/** SmolVLM / Idefics3: SigLIP tiles plus a global image, pixel-shuffle connector. */
final class Idefics3Family implements ModelFamily {
  @Override
  public String name() {
    return "idefics3";
  }

  @Override
  public ImageProcessor imageProcessor(ModelDirectory dir) {
    return new Idefics3ImageProcessor(dir.image());
  }

  @Override
  public PromptBuilder promptBuilder(ModelDirectory dir, VlmTokenizer tokenizer) {
    Idefics3PromptBuilder prompts;
    try {
      prompts =
          new Idefics3PromptBuilder(
              new ChatTemplate(dir.chatTemplate()), tokenizer, dir.imageSeqLen());
    } catch (IllegalStateException e) {
      throw new ModelLoadException(dir.tokenizerJson(), e.getMessage(), e);
    }
    if (dir.imageTokenId() != null && dir.imageTokenId() != prompts.imageTokenId()) {
      throw new ModelLoadException(
          dir.root(),
          "config image_token_id "
              + dir.imageTokenId()
              + " but tokenizer <image> is "
              + prompts.imageTokenId());
    }
    return prompts;
  }

  @Override
  public String toString() {
    return name();
  }
}
