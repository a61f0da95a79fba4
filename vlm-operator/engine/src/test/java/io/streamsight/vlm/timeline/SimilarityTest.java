package io.streamsight.vlm.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SimilarityTest {
  /** A real (if crude) embedding: letter counts. Records what it was asked to embed. */
  private static final class LetterCounts {
    final List<List<String>> calls = new ArrayList<>();

    float[][] embed(List<String> texts) {
      calls.add(List.copyOf(texts));
      float[][] out = new float[texts.size()][26];
      for (int i = 0; i < texts.size(); i++) {
        for (char c : texts.get(i).toLowerCase(Locale.ROOT).toCharArray()) {
          if (c >= 'a' && c <= 'z') {
            out[i][c - 'a']++;
          }
        }
      }
      return out;
    }
  }

  @Test
  void identicalTextsScoreOneWithoutAModelCall() {
    LetterCounts model = new LetterCounts();
    EmbeddingSimilarity s = new EmbeddingSimilarity(model::embed);
    assertEquals(1.0, s.similarity("A red car.", "a  red car"));
    assertEquals(List.of(), model.calls);
  }

  @Test
  void prepareEmbedsEachDistinctTextOnceInOneBatch() {
    LetterCounts model = new LetterCounts();
    EmbeddingSimilarity s = new EmbeddingSimilarity(model::embed);
    s.prepare(List.of("red", "green", "Red.", "blue", "green"));
    assertEquals(List.of(List.of("red", "green", "blue")), model.calls);
    double rg = s.similarity("red", "green");
    assertTrue(rg > 0 && rg < 1, "cosine " + rg);
    s.similarity("blue", "Green");
    assertEquals(1, model.calls.size(), "cached vectors are reused");
    s.similarity("red", "yellow");
    assertEquals(List.of("yellow"), model.calls.get(1), "only the missing text is embedded");
  }

  @Test
  void wordOverlapIgnoresCaseOrderRepeatsAndPunctuation() {
    WordOverlapSimilarity w = new WordOverlapSimilarity();
    assertEquals(1.0, w.similarity("Red, red RED!", "red"));
    assertEquals(1.0 / 3, w.similarity("red car", "green car"), 1e-9);
    assertEquals(0.0, w.similarity("red", "green"));
    assertEquals(1.0, w.similarity("", ""));
  }

  @Test
  void normaliseDropsCaseSpacesAndTrailingPunctuation() {
    assertEquals("a red car", TextSimilarity.normalise("  A  red\tcar.  "));
    assertEquals("what?is it", TextSimilarity.normalise("What?is it?!"));
  }
}
