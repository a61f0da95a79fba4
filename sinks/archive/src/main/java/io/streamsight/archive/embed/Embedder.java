package io.streamsight.archive.embed;

import java.util.List;

/**
 * Text to unit-length sentence vectors. Implementations are thread-safe: the archive embeds batches
 * on its worker thread while searches embed their query text on caller threads.
 */
public interface Embedder extends AutoCloseable {

  /** Identifies the model; stored in each index commit so a different model forces a rebuild. */
  String modelId();

  int dimension();

  /** One L2-normalised vector per text, in order. */
  float[][] embed(List<String> texts);

  default float[] embed(String text) {
    return embed(List.of(text))[0];
  }

  @Override
  void close();
}
