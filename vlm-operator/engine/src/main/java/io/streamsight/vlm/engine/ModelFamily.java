package io.streamsight.vlm.engine;

import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.preprocess.ImageProcessor;
import io.streamsight.vlm.prompt.PromptBuilder;
import io.streamsight.vlm.prompt.VlmTokenizer;

/**
 * What a model family adds to the shared ONNX export contract (vision encoder, embed tokens, merged
 * decoder, run by {@link io.streamsight.vlm.generation.BatchGenerator}): how images become tiles
 * and how the prompt is laid out. Registered by {@code model_type} in {@link ModelFamilies}.
 */
public interface ModelFamily {
  /** The family's name, for logs and errors. */
  String name();

  ImageProcessor imageProcessor(ModelDirectory dir);

  /**
   * @throws io.streamsight.vlm.model.ModelLoadException when the tokenizer or config do not fit
   *     this family (missing special tokens, disagreeing image token id)
   */
  PromptBuilder promptBuilder(ModelDirectory dir, VlmTokenizer tokenizer);
}
