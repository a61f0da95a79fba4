package io.streamsight.embeddings;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product measures how close their meanings are.
 * Implementations are thread-safe.
 */
public interface TextEmbedder extends AutoCloseable {
  /** The model's name, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}. */
  String modelId();

  /** Length of every vector. */
  int dimension();

  /**
   * One L2-normalised vector per text, in order; batching is the implementation's business. An
   * empty text gets a vector too (the model's reading of an empty sentence).
   */
  float[][] embed(List<String> texts);

  /** One text's vector. */
  default float[] embed(String text) {
    return embed(List.of(text))[0];
  }

  @Override
  void close();
}
