package io.streamsight.vlm.generation;

import io.streamsight.vlm.api.GenerationOptions;
import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of logits: greedy, or temperature with nucleus (top-p). Not
 * called a sampler: in Streamsight "sampler" means the keyframe sampler ({@code frame-sampler}).
 */
public final class TokenPicker {
  private TokenPicker() {}

  public static int pick(float[] logits, int offset, int vocab, GenerationOptions o, Random rnd) {
    if (o.temperature() == 0) {
      return argmax(logits, offset, vocab);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double[] p = new double[vocab];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      p[i] = Math.exp((logits[offset + i] - max) / o.temperature());
      sum += p[i];
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
      p[i] /= sum;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    // Keep the smallest set of most likely tokens whose mass reaches top-p.
    double mass = 0;
    int keep = 0;
    while (keep < vocab && (mass < o.topP() || keep == 0)) {
      mass += p[order[keep++]];
    }
    double r = rnd.nextDouble() * mass;
    for (int k = 0; k < keep; k++) {
      r -= p[order[k]];
      if (r <= 0) {
        return order[k];
      }
    }
    return order[keep - 1];
  }

  public static int argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    float bv = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      if (logits[offset + i] > bv) {
        bv = logits[offset + i];
        best = i;
      }
    }
    return best;
  }

  /** p(yes) = softmax over the two logits. */
  public static double pYes(float yes, float no) {
    double m = Math.max(yes, no);
    double ey = Math.exp(yes - m);
    double en = Math.exp(no - m);
    return ey / (ey + en);
  }
}
