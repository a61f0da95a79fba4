package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenBudgetModelTest {
  private static final VlmRequest ASK =
      new VlmRequest(Task.ASK, List.of(), "What?", GenerationOptions.greedy(4, new ImageBudget(0)));

  @Test
  void refusesOnceSpentAndRefillsWithTime() {
    AtomicLong now = new AtomicLong();
    // Each result: 10 prompt tokens + 1 completion token.
    var model =
        new TokenBudgetModel(
            ScriptedModelProvider.scoring("budget", 0, "ok").open(), 3600, now::get);
    for (int i = 0; i < 327; i++) {
      model.run(List.of(ASK)); // 327 * 11 = 3597 of 3600
    }
    assertEquals(3, model.left(), 1e-6);
    model.run(List.of(ASK)); // still above zero: runs, overshoots by one batch
    assertEquals(-8, model.left(), 1e-6);
    ModelUnavailableException e =
        assertThrows(ModelUnavailableException.class, () -> model.run(List.of(ASK)));
    assertEquals(TokenBudgetModel.BudgetSpentException.class, e.getClass());
    now.addAndGet(9_000_000_000L); // 9 s at one token per second
    assertEquals(1, model.left(), 1e-6);
    assertEquals(1, model.run(List.of(ASK)).size());
    now.addAndGet(7200_000_000_000L);
    assertEquals(3600, model.left(), 1e-6, "never more than an hour's worth");
  }
}
