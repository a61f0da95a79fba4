package io.streamsight.archive.embed;

import java.nio.FloatBuffer;

/**
 * Sentence-transformers' pooling for all-MiniLM-L6-v2: the mean of the token vectors the attention
 * mask keeps (padding excluded), then L2 normalisation, so a dot product is the cosine.
 */
public final class MeanPooling {
  private MeanPooling() {}

  /**
   * @param hidden last_hidden_state, row-major [batch, seq, dim]
   * @param mask attention mask [batch][seq], 1 = real token
   */
  public static float[][] pool(FloatBuffer hidden, long[][] mask, int seq, int dim) {
    float[][] out = new float[mask.length][dim];
    for (int b = 0; b < mask.length; b++) {
      float[] v = out[b];
      int kept = 0;
      for (int t = 0; t < seq; t++) {
        if (mask[b][t] == 0) {
          continue;
        }
        kept++;
        int base = (b * seq + t) * dim;
        for (int d = 0; d < dim; d++) {
          v[d] += hidden.get(base + d);
        }
      }
      float n = Math.max(kept, 1);
      for (int d = 0; d < dim; d++) {
        v[d] /= n;
      }
      normalise(v);
    }
    return out;
  }

  /** Scales {@code v} to unit length in place (a zero vector stays zero). */
  public static void normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.max(Math.sqrt(sum), 1e-12);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
  }

  public static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
