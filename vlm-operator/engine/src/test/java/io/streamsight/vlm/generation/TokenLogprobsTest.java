package io.streamsight.vlm.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.vlm.api.TokenLogprobs;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLogprobsTest {
  private static final float[] ROW = {0f, 3f, 1f, 3f, -2f, 2f};

  @Test
  void shouldReportTheLogSoftmaxOfTheChosenTokenAndTheTopKMostLikelyFirst() {
    // Two rows in one array: the second row is read through its offset.
    float[] two = new float[12];
    System.arraycopy(ROW, 0, two, 6, 6);
    TokenLogprobs lp = TokenPicker.logprobs(two, 6, 6, 2, 3, id -> "t" + id);

    double z = 0;
    for (float v : ROW) {
      z += Math.exp(v);
    }
    assertEquals(2, lp.tokenId());
    assertEquals("t2", lp.token());
    assertEquals(1 - Math.log(z), lp.logprob(), 1e-9);
    // ties (ids 1 and 3) in id order
    assertEquals(List.of(1L, 3L, 5L), lp.top().stream().map(c -> c.tokenId()).toList());
    assertEquals(List.of("t1", "t3", "t5"), lp.top().stream().map(c -> c.token()).toList());
    assertEquals(3 - Math.log(z), lp.top().get(0).logprob(), 1e-9);
    assertEquals(2 - Math.log(z), lp.top().get(2).logprob(), 1e-9);
  }

  @Test
  void shouldReportTheWholeVocabularyWhenKExceedsIt() {
    TokenLogprobs lp = TokenPicker.logprobs(ROW, 0, ROW.length, 1, 20, id -> "t" + id);
    assertEquals(ROW.length, lp.top().size());
    double mass = lp.top().stream().mapToDouble(c -> Math.exp(c.logprob())).sum();
    assertEquals(1.0, mass, 1e-9);
    assertEquals(4L, lp.top().get(ROW.length - 1).tokenId());
  }

  @Test
  void shouldStayFiniteForLargeLogits() {
    float[] big = {1000f, 999f};
    TokenLogprobs lp = TokenPicker.logprobs(big, 0, 2, 0, 2, id -> "t" + id);
    assertEquals(-Math.log1p(Math.exp(-1)), lp.logprob(), 1e-6);
  }
}
