package io.streamsight.vlm.operator.digest;

import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.vlm.operator.config.DigestConfig.Similarity;
import io.streamsight.vlm.timeline.EmbeddingSimilarity;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.WordOverlapSimilarity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sentence-embedding model per TaskManager (JVM), shared by every digest subtask, as {@code
 * InferenceServices} shares the VLM: all-MiniLM-L6-v2 is about 90 MB and takes about a second to
 * load, and its vector cache is worth sharing (cameras repeat their descriptions). Reference
 * counted: the last release closes it. It runs with one ONNX Runtime thread: a digest compares a
 * few short sentences per window, and the cores belong to the VLM.
 */
public final class SharedSimilarity {
  private static final Logger LOG = LoggerFactory.getLogger(SharedSimilarity.class);
  private static MiniLmEmbedder embedder;
  private static EmbeddingSimilarity similarity;
  private static int users;

  private SharedSimilarity() {}

  /**
   * A merger comparing texts as {@code kind} says; pair every call with {@link
   * #release(Similarity)}.
   *
   * @throws IllegalStateException when the embedding model cannot load (the job fails rather than
   *     silently merging by another rule than the configured one; {@code digests.similarity: words}
   *     needs no model)
   */
  public static synchronized TimelineMerger acquire(Similarity kind) {
    if (kind == Similarity.WORDS) {
      return new TimelineMerger(
          new WordOverlapSimilarity(), WordOverlapSimilarity.DEFAULT_THRESHOLD);
    }
    if (similarity == null) {
      long t0 = System.nanoTime();
      try {
        embedder = MiniLmEmbedder.load(1);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "digests.similarity: minilm: cannot load "
                + MiniLmEmbedder.MODEL_ID
                + " ("
                + e.getMessage()
                + "); set digests.similarity: words to merge by word overlap without a model",
            e);
      }
      similarity = new EmbeddingSimilarity(embedder::embed);
      LOG.info(
          "Loaded {} for digests in this TaskManager in {} ms",
          MiniLmEmbedder.MODEL_ID,
          (System.nanoTime() - t0) / 1_000_000);
    }
    users++;
    return new TimelineMerger(similarity, EmbeddingSimilarity.DEFAULT_THRESHOLD);
  }

  public static synchronized void release(Similarity kind) {
    if (kind == Similarity.WORDS || users == 0) {
      return;
    }
    if (--users == 0) {
      embedder.close();
      embedder = null;
      similarity = null;
      LOG.info("Closed {}: no more digest users in this TaskManager", MiniLmEmbedder.MODEL_ID);
    }
  }

  /** For tests: how many subtasks hold the shared model. */
  static synchronized int users() {
    return users;
  }
}
