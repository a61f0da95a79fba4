package io.streamsight.archive.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
  @Test
  void shouldRankItemsFoundByBothListsFirstAndKeepEachListsRank() {
    List<ReciprocalRankFusion.Fused> f =
        ReciprocalRankFusion.fuse(List.of(new int[] {7, 3, 9}, new int[] {3, 8}), 10);
    assertEquals(3, f.get(0).key());
    assertArrayEquals(new int[] {2, 1}, f.get(0).ranks());
    assertEquals(1.0 / 62 + 1.0 / 61, f.get(0).score(), 1e-12);
    assertEquals(4, f.size());
    assertArrayEquals(
        new int[] {0, 2}, f.stream().filter(x -> x.key() == 8).findFirst().get().ranks());
  }

  @Test
  void shouldWeighListsAndCutAtTheLimit() {
    List<ReciprocalRankFusion.Fused> f =
        ReciprocalRankFusion.fuse(
            List.of(new int[] {1, 2}, new int[] {2, 1}), new double[] {0.5, 1.0}, 5, 1);
    assertEquals(1, f.size());
    assertEquals(2, f.get(0).key(), "the heavier list's first wins");
  }

  @Test
  void shouldBreakTiesDeterministically() {
    List<ReciprocalRankFusion.Fused> f =
        ReciprocalRankFusion.fuse(List.of(new int[] {5}, new int[] {4}), 10);
    assertEquals(List.of(4, 5), f.stream().map(ReciprocalRankFusion.Fused::key).toList());
  }
}
