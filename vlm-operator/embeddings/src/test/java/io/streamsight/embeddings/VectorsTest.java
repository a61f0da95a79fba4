package io.streamsight.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorsTest {
  @Test
  void meanPoolingAveragesOnlyRealTokensOfItsRow() {
    // 2 rows x 3 positions x 2 dims; row 1's last position is padding with a huge value.
    float[] hidden = {1, 2, 3, 4, 5, 6, /* row 1 */ 10, 20, 30, 40, 1000, 1000};
    long[] mask = {1, 1, 1, 1, 1, 0};
    assertArrayEquals(new float[] {3, 4}, Vectors.meanPool(hidden, mask, 0, 3, 2), 1e-6f);
    assertArrayEquals(new float[] {20, 30}, Vectors.meanPool(hidden, mask, 1, 3, 2), 1e-6f);
  }

  @Test
  void normalisedVectorsHaveUnitLengthAndDotIsCosine() {
    float[] a = Vectors.normalise(new float[] {3, 4});
    assertArrayEquals(new float[] {0.6f, 0.8f}, a, 1e-6f);
    float[] b = Vectors.normalise(new float[] {4, 3});
    assertEquals(Vectors.cosine(new float[] {3, 4}, new float[] {4, 3}), Vectors.dot(a, b), 1e-6);
    assertEquals(0.96, Vectors.dot(a, b), 1e-6);
  }

  @Test
  void zeroVectorStaysZeroAndHasNoSimilarity() {
    assertArrayEquals(new float[] {0, 0}, Vectors.normalise(new float[] {0, 0}));
    assertEquals(0, Vectors.cosine(new float[] {0, 0}, new float[] {1, 0}));
  }

  @Test
  void vectorsOfDifferentLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Vectors.dot(new float[2], new float[3]));
  }
}
