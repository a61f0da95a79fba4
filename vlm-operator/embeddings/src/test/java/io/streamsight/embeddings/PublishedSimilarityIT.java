package io.streamsight.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PublishedSimilarityIT {
  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = MiniLmEmbedder.load(0);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  /**
   * The similarity matrix sentence-transformers publishes for all-MiniLM-L6-v2 in its quickstart
   * (README and docs): reproducing it to 3 decimals checks tokenizer, model, mean pooling and
   * normalisation end to end.
   */
  @Test
  void reproducesThePublishedSimilarityMatrix() {
    float[][] e =
        embedder.embed(
            List.of(
                "The weather is lovely today.",
                "It's so sunny outside!",
                "He drove to the stadium."));
    assertEquals(0.6660, Vectors.dot(e[0], e[1]), 1e-3);
    assertEquals(0.1046, Vectors.dot(e[0], e[2]), 1e-3);
    assertEquals(0.1411, Vectors.dot(e[1], e[2]), 1e-3);
  }

  @Test
  void similarCaptionsScoreHigherThanUnrelatedOnes() {
    float[] query = embedder.embed("a truck unloading at the loading dock");
    float[] similar =
        embedder.embed("Workers take pallets off a lorry parked at bay 2 of the warehouse.");
    float[] unrelated = embedder.embed("A cat sleeps on a sofa in a quiet living room.");
    assertTrue(Vectors.dot(query, similar) > Vectors.dot(query, unrelated) + 0.2);
  }

  @Test
  void vectorsAreUnitLengthAndIndependentOfBatchingAndPadding() {
    List<String> texts = new ArrayList<>();
    texts.add("short");
    for (int i = 0; i < 40; i++) {
      texts.add("A person walks across the parking lot number " + i + " ".repeat(i) + "slowly.");
    }
    texts.add("word ".repeat(400)); // beyond 256 tokens: truncated, not an error
    float[][] batched = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embedder.embed(texts.get(i));
      assertEquals(1.0, Vectors.dot(alone, alone), 1e-4);
      assertEquals(1.0, Vectors.dot(alone, batched[i]), 1e-4, "text " + i);
    }
  }
}
