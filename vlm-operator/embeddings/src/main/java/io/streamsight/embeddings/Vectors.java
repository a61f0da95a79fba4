package io.streamsight.embeddings;

/** Arithmetic on embedding vectors. */
public final class Vectors {
  private Vectors() {}

  /** Dot product; for unit vectors (what {@link TextEmbedder} returns) the cosine similarity. */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of different lengths: " + a.length + " and " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Cosine similarity of any two non-zero vectors, in [-1, 1]. */
  public static double cosine(float[] a, float[] b) {
    double na = Math.sqrt(dot(a, a));
    double nb = Math.sqrt(dot(b, b));
    if (na == 0 || nb == 0) {
      return 0;
    }
    return dot(a, b) / (na * nb);
  }

  /** Scales {@code v} in place to unit length (a zero vector stays zero); returns it. */
  public static float[] normalise(float[] v) {
    double n = Math.sqrt(dot(v, v));
    if (n > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / n);
      }
    }
    return v;
  }

  /**
   * Mean of the token vectors of one row of a {@code [rows, seq, dim]} hidden-state tensor over the
   * positions its attention mask marks real (padding left out): sentence-transformers' mean
   * pooling, what all-MiniLM-L6-v2 was trained with.
   */
  public static float[] meanPool(float[] hidden, long[] mask, int row, int seq, int dim) {
    float[] out = new float[dim];
    int n = 0;
    for (int t = 0; t < seq; t++) {
      if (mask[row * seq + t] == 0) {
        continue;
      }
      n++;
      int off = (row * seq + t) * dim;
      for (int d = 0; d < dim; d++) {
        out[d] += hidden[off + d];
      }
    }
    if (n > 0) {
      for (int d = 0; d < dim; d++) {
        out[d] /= n;
      }
    }
    return out;
  }
}
