package io.streamsight.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real all-MiniLM-L6-v2 on ONNX Runtime. */
@Timeout(120)
class MiniLmEmbedderIT {
  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = MiniLmEmbedder.load(2);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static double sim(String a, String b) {
    float[][] v = embedder.embed(List.of(a, b));
    return Vectors.dot(v[0], v[1]);
  }

  @Test
  void paraphrasesScoreHigherThanUnrelatedSentences() {
    String[][] cases = {
      {
        "A man is walking his dog in the park.",
        "Someone walks a dog through a park.",
        "A truck is parked at the loading dock."
      },
      {
        "A red car drives along the street.",
        "A red vehicle is driving down the road.",
        "Two people are talking in an office."
      },
      {
        "The room is empty and nothing moves.",
        "Nobody is in the room; the scene is still.",
        "A crowd cheers at a football match."
      },
    };
    for (String[] c : cases) {
      double para = sim(c[0], c[1]);
      double other = sim(c[0], c[2]);
      assertTrue(para > other + 0.2, c[0] + ": paraphrase " + para + " vs unrelated " + other);
      assertTrue(para > 0.6, "paraphrase similarity " + para + " for " + c[0]);
    }
  }

  @Test
  void vectorsAreUnitLengthAndTheSameWhateverTheBatch() {
    List<String> texts = new ArrayList<>();
    texts.add("short");
    texts.add("a much longer sentence, so the short one above is padded in the batch");
    texts.add("");
    for (int i = 0; i < 40; i++) { // more than one session run
      texts.add("sentence number " + i);
    }
    float[][] batch = embedder.embed(texts);
    assertEquals(texts.size(), batch.length);
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(MiniLmEmbedder.DIMENSION, batch[i].length);
      assertEquals(1.0, Vectors.dot(batch[i], batch[i]), 1e-4);
      float[] alone = embedder.embed(List.of(texts.get(i)))[0];
      assertArrayEquals(alone, batch[i], 1e-4f, "padding changed text " + i);
    }
  }

  @Test
  void sameTextIsIdenticalAndTextsLongerThanTheLimitAreCut() {
    assertEquals(1.0, sim("a parked car", "a parked car"), 1e-5);
    String longText = "the quick brown fox jumps over the lazy dog ".repeat(100);
    assertEquals(MiniLmEmbedder.DIMENSION, embedder.embed(List.of(longText))[0].length);
  }
}
