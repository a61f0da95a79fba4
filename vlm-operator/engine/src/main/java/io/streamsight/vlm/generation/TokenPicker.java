package io.streamsight.vlm.generation;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.TokenLogprobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

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

  /**
   * The log-probabilities of one row of logits: a plain log-softmax (temperature 1, as OpenAI-style
   * servers report them), for the token {@code chosen} and the {@code k} most likely tokens, most
   * likely first (ties by lower id). One pass over the row for the normaliser and one for the top k
   * (k is at most {@link GenerationOptions#MAX_TOP_LOGPROBS}: insertion into a short sorted list).
   */
  public static TokenLogprobs logprobs(
      float[] logits, int offset, int vocab, long chosen, int k, LongFunction<String> decode) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(logits[offset + i] - max);
    }
    double logZ = max + Math.log(sum);
    int n = Math.min(k, vocab);
    int[] best = new int[n];
    int size = 0;
    for (int i = 0; i < vocab; i++) {
      float v = logits[offset + i];
      if (size == n && (n == 0 || v <= logits[offset + best[n - 1]])) {
        continue;
      }
      int at = size < n ? size++ : n - 1;
      while (at > 0 && logits[offset + best[at - 1]] < v) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
    List<TokenLogprobs.Candidate> top = new ArrayList<>(size);
    for (int j = 0; j < size; j++) {
      top.add(
          new TokenLogprobs.Candidate(
              best[j], decode.apply(best[j]), logits[offset + best[j]] - logZ));
    }
    return new TokenLogprobs(
        chosen, decode.apply(chosen), logits[offset + (int) chosen] - logZ, top);
  }
}
