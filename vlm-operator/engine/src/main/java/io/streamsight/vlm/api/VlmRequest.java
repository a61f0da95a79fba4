package io.streamsight.vlm.api;

import java.util.List;
import java.util.Objects;

/**
 * One model call.
 *
 * @param images encoded images (JPEG or PNG bytes), in prompt order; several form one multi-image
 *     prompt
 * @param text the instruction or question, plain user text (special tokens in it are not obeyed)
 */
public record VlmRequest(Task task, List<byte[]> images, String text, GenerationOptions options) {
  public VlmRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(text, "text");
    images = List.copyOf(images);
    options = options == null ? GenerationOptions.DEFAULT : options;
  }
}
