package io.streamsight.vlm.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LogitsBudgetTest {
  private static final int SMOLVLM_VOCAB = 49_280;
  private final LogitsBudget budget = new LogitsBudget(LogitsBudget.DEFAULT_MAX_BYTES);

  @Test
  void shouldSizeLargePrefillsWithoutWrappingAnInt() {
    // 11,000 tokens x 49,280 x 4 bytes = 2,168,320,000 > Integer.MAX_VALUE: int arithmetic wraps.
    assertEquals(2_168_320_000L, LogitsBudget.bytes(1, 11_000, SMOLVLM_VOCAB, 4));
    assertTrue(11_000 * SMOLVLM_VOCAB * 4 < 0, "the old int computation was negative");
    assertEquals(8L * 11_000 * SMOLVLM_VOCAB * 4, LogitsBudget.bytes(8, 11_000, SMOLVLM_VOCAB, 4));
    assertThrows(
        ArithmeticException.class,
        () -> LogitsBudget.bytes(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 4));
  }

  @Test
  void shouldRefuseAPromptWhoseLogitsAloneExceedTheBound() {
    LogitsBudget.Plan plan = budget.plan(new int[] {11_000, 100}, SMOLVLM_VOCAB, 4);
    assertEquals(List.of(0), plan.refused());
    assertEquals(List.of(List.of(1)), plan.groups());
    String why = budget.refusal(11_000, SMOLVLM_VOCAB, 4);
    assertTrue(why.contains("11000 tokens needs 2068 MiB"), why);
    assertTrue(why.contains("bound of 512 MiB"), why);
  }

  @Test
  void shouldSplitABatchIntoGroupsThatFit() {
    // One 720p image prompt is about 832 tokens: 164 MB of logits per row, 3 rows per 512 MiB.
    int[] rows = new int[8];
    java.util.Arrays.fill(rows, 832);
    LogitsBudget.Plan plan = budget.plan(rows, SMOLVLM_VOCAB, 4);
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7)), plan.groups());
    assertTrue(plan.refused().isEmpty());
    for (List<Integer> g : plan.groups()) {
      assertTrue(LogitsBudget.bytes(g.size(), 832, SMOLVLM_VOCAB, 4) <= budget.maxBytes());
    }
  }

  @Test
  void shouldCountLeftPaddingToTheLongestRowOfAGroup() {
    // Short rows after a long one are padded to its length, so they count at its size.
    LogitsBudget.Plan plan = budget.plan(new int[] {2_000, 10, 10}, SMOLVLM_VOCAB, 4);
    assertEquals(List.of(List.of(0), List.of(1, 2)), plan.groups());
  }

  @Test
  void shouldKeepSmallBatchesWhole() {
    LogitsBudget.Plan plan = budget.plan(new int[] {100, 90, 80, 120}, SMOLVLM_VOCAB, 4);
    assertEquals(List.of(List.of(0, 1, 2, 3)), plan.groups());
  }

  @Test
  void shouldRejectABoundAboveWhatOneDirectBufferHolds() {
    assertThrows(IllegalArgumentException.class, () -> new LogitsBudget(3L << 30));
  }

  @Test
  void shouldEstimateTheEnginesDirectMemory() {
    // SmolVLM-256M: vocab 49,280, hidden 576, 8k context, batch 8, 16 tiles of 512 per vision run
    long est =
        LogitsBudget.directMemoryEstimate(
            LogitsBudget.DEFAULT_MAX_BYTES, SMOLVLM_VOCAB, 576, 8192, 8, 16, 512);
    assertTrue(est > LogitsBudget.DEFAULT_MAX_BYTES && est < (600L << 20), "estimate " + est);
  }
}
