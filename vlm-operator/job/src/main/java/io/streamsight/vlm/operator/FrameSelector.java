package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.types.FrameRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses at most K frames of a window for the model. Each frame costs image tokens, so when a
 * window has more than K keyframes we keep the most informative ones: greedily, the frame with the
 * best mix of novelty (what the sampler measured) and distance in time to the frames already kept,
 * so a burst of similar frames does not crowd out the rest of the window. Deterministic (ties go to
 * the earlier frame), so a replay chooses the same frames.
 */
public final class FrameSelector {
  /** Weight of spread in time against novelty; both are in [0, 1]. */
  static final double SPREAD_WEIGHT = 0.5;

  private FrameSelector() {}

  /** Returns at most {@code k} frames, in capture order. */
  public static List<FrameRef> select(List<FrameRef> frames, int k, long windowMicros) {
    return select(frames, k, windowMicros, false);
  }

  /**
   * Returns at most {@code k} frames, in capture order; with {@code keepNewest} the newest frame is
   * always among them. A window so far needs that: it is sent because its newest keyframe arrived,
   * so rules are scored on that keyframe and a live question waiting for a fresh frame is answered
   * with it; selecting by novelty alone could drop exactly the frame that made the window.
   */
  public static List<FrameRef> select(
      List<FrameRef> frames, int k, long windowMicros, boolean keepNewest) {
    List<FrameRef> sorted = new ArrayList<>(frames);
    sorted.sort(
        Comparator.comparingLong(FrameRef::captureMicros).thenComparingLong(FrameRef::sequence));
    if (sorted.size() <= k) {
      return sorted;
    }
    List<FrameRef> kept = new ArrayList<>(k);
    boolean[] taken = new boolean[sorted.size()];
    if (keepNewest) {
      taken[sorted.size() - 1] = true;
      kept.add(sorted.get(sorted.size() - 1));
    }
    double span = Math.max(1, windowMicros);
    while (kept.size() < k) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < sorted.size(); i++) {
        if (taken[i]) {
          continue;
        }
        FrameRef f = sorted.get(i);
        double spread = 1;
        for (FrameRef g : kept) {
          spread = Math.min(spread, Math.abs(f.captureMicros() - g.captureMicros()) / span);
        }
        double novelty = Math.max(0, Math.min(1, f.novelty()));
        double score = (1 - SPREAD_WEIGHT) * novelty + SPREAD_WEIGHT * spread;
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      taken[best] = true;
      kept.add(sorted.get(best));
    }
    kept.sort(
        Comparator.comparingLong(FrameRef::captureMicros).thenComparingLong(FrameRef::sequence));
    return kept;
  }
}
