package io.streamsight.archive.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each list contributes {@code
 * weight / (k + rank)} for the items it returns. Only ranks matter, so BM25 scores and cosines need
 * no calibration against each other. {@link #K} is the paper's k; the archive uses its own ({@link
 * FusionSettings}).
 */
public final class ReciprocalRankFusion {
  public static final int K = 60;

  private ReciprocalRankFusion() {}

  /** A fused item: key, fused score and its 1-based rank in each input list (0 = absent). */
  public record Fused(int key, double score, int[] ranks) {}

  /** Fuses ranked lists of keys (best first) and returns the best {@code limit}. */
  public static List<Fused> fuse(List<int[]> rankings, int limit) {
    double[] ones = new double[rankings.size()];
    java.util.Arrays.fill(ones, 1.0);
    return fuse(rankings, ones, K, limit);
  }

  /** Weighted fusion: list {@code i} contributes {@code weights[i] / (k + rank)} per item. */
  public static List<Fused> fuse(List<int[]> rankings, double[] weights, int k, int limit) {
    Map<Integer, double[]> score = new HashMap<>();
    Map<Integer, int[]> ranks = new LinkedHashMap<>();
    for (int list = 0; list < rankings.size(); list++) {
      int[] keys = rankings.get(list);
      for (int r = 0; r < keys.length; r++) {
        score.computeIfAbsent(keys[r], x -> new double[1])[0] += weights[list] / (k + r + 1);
        int[] rk = ranks.computeIfAbsent(keys[r], x -> new int[rankings.size()]);
        if (rk[list] == 0) {
          rk[list] = r + 1;
        }
      }
    }
    List<Fused> out = new ArrayList<>();
    ranks.forEach((key, rk) -> out.add(new Fused(key, score.get(key)[0], rk)));
    // Ties (same fused score) go to the item with the better single best rank, then the key, so
    // results are deterministic.
    out.sort(
        Comparator.comparingDouble(Fused::score)
            .reversed()
            .thenComparingInt(f -> bestRank(f.ranks()))
            .thenComparingInt(Fused::key));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  private static int bestRank(int[] ranks) {
    int best = Integer.MAX_VALUE;
    for (int r : ranks) {
      if (r > 0) {
        best = Math.min(best, r);
      }
    }
    return best;
  }
}
