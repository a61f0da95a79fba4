package io.streamsight.vlm.generation;

import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.preprocess.ProcessedImage;
import java.util.List;

/**
 * A request after preprocessing and tokenisation, ready for a batch.
 *
 * @param startNanos when the engine took the request (for its total time)
 */
public record PreparedRequest(
    VlmRequest request,
    long[] ids,
    List<ProcessedImage> images,
    int imageTokens,
    double preprocessMillis,
    long startNanos) {

  public int tiles() {
    return images.stream().mapToInt(i -> i.tiles().length).sum();
  }
}
