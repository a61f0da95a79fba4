package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.SheddingClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InferenceServiceTest {
  private static final long SECOND = 1_000_000;

  private static InferenceConfig config(int maxBatch, int capacity) {
    return new InferenceConfig(
        maxBatch,
        Duration.ofMillis(50),
        capacity,
        8,
        Duration.ofSeconds(30),
        0,
        Duration.ofMillis(1),
        Duration.ofSeconds(30),
        SheddingClock.FRONTIER);
  }

  private static VlmRequest describe(String text) {
    return new VlmRequest(Task.DESCRIBE, List.of(), text, null);
  }

  @Test
  void batchesRequestsThatWaitBehindABusyModel() throws Exception {
    GatedModel model = new GatedModel();
    try (InferenceService s = new InferenceService(model, config(4, 64))) {
      CompletableFuture<Completion> first = s.submit(describe("w0"), "cam-1", 0);
      // The dispatcher takes w0 and blocks in the model; the next ten queue up meanwhile.
      List<CompletableFuture<Completion>> rest = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        rest.add(s.submit(describe("w" + i), "cam-1", i * SECOND));
      }
      model.gate.release(100);
      assertEquals("echo: w0", first.get().result().text());
      for (int i = 0; i < rest.size(); i++) {
        assertEquals("echo: w" + (i + 1), rest.get(i).get().result().text());
      }
      assertEquals(11, model.batchSizes.stream().mapToInt(Integer::intValue).sum());
      assertEquals(4, model.batchSizes.stream().mapToInt(Integer::intValue).max().getAsInt());
    }
  }

  @Test
  void shedsRequestsLaggingTheNewestEventTimeByMoreThanTheBudget() throws Exception {
    GatedModel model = new GatedModel();
    try (InferenceService s = new InferenceService(model, config(8, 64))) {
      CompletableFuture<Completion> busy = s.submit(describe("t=0"), "cam-1", 0);
      CompletableFuture<Completion> old = s.submit(describe("t=5s"), "cam-1", 5 * SECOND);
      CompletableFuture<Completion> fresh = s.submit(describe("t=40s"), "cam-1", 40 * SECOND);
      CompletableFuture<Completion> question =
          s.submit(describe("question"), "cam-1", InferenceService.NEVER_SHED);
      model.gate.release(100);
      busy.get();
      assertEquals(true, old.get().shed(), "35 s behind the newest window: shed");
      assertEquals(false, fresh.get().shed());
      assertEquals(false, question.get().shed(), "questions are never shed");
    }
  }

  @Test
  @Timeout(30)
  void questionsGoAheadOfQueuedWindowWorkInTheOrderTheyCame() throws Exception {
    GatedModel model = new GatedModel();
    try (InferenceService s = new InferenceService(model, config(1, 64))) {
      CompletableFuture<Completion> busy = s.submit(describe("w0"), "cam-1", 0);
      model.entered.acquire(); // w0 is inside the model; the rest queue behind it
      List<CompletableFuture<Completion>> all = new ArrayList<>();
      all.add(s.submit(describe("w1"), "cam-1", SECOND));
      all.add(s.submit(describe("w2"), "cam-2", SECOND));
      all.add(s.submit(describe("q1"), "cam-3", InferenceService.NEVER_SHED, true));
      all.add(s.submit(describe("w3"), "cam-1", 2 * SECOND));
      all.add(s.submit(describe("q2"), "cam-1", InferenceService.NEVER_SHED, true));
      model.gate.release(100);
      busy.get();
      for (CompletableFuture<Completion> f : all) {
        f.get();
      }
      assertEquals(List.of("w0", "q1", "q2", "w1", "w2", "w3"), model.ran);
    }
  }

  @Test
  void rejectsWithARetriableErrorWhenTheQueueIsFull() throws Exception {
    GatedModel model = new GatedModel();
    try (InferenceService s = new InferenceService(model, config(1, 2))) {
      CompletableFuture<Completion> running = s.submit(describe("a"), "cam-1", 0);
      while (s.queueDepth() > 0) {
        Thread.onSpinWait(); // wait until the dispatcher holds "a" inside the model
      }
      s.submit(describe("b"), "cam-1", 0);
      s.submit(describe("c"), "cam-1", 0);
      CompletableFuture<Completion> overflow = s.submit(describe("d"), "cam-1", 0);
      ExecutionException e = assertThrows(ExecutionException.class, overflow::get);
      assertInstanceOf(RetriableInferenceException.class, e.getCause());
      model.gate.release(100);
      running.get();
    }
  }

  @Test
  @Timeout(30)
  void aCameraAnHourAheadDoesNotShedAnotherCamerasWindows() throws Exception {
    GatedModel model = new GatedModel();
    try (InferenceService s = new InferenceService(model, config(8, 64))) {
      CompletableFuture<Completion> busy = s.submit(describe("busy"), "cam-live", 0);
      CompletableFuture<Completion> future = s.submit(describe("ahead"), "cam-bad", 3600 * SECOND);
      CompletableFuture<Completion> live = s.submit(describe("live"), "cam-live", 5 * SECOND);
      CompletableFuture<Completion> old = s.submit(describe("old"), "cam-bad", 10 * SECOND);
      model.gate.release(100);
      busy.get();
      assertEquals(false, future.get().shed());
      assertEquals(false, live.get().shed(), "cam-bad's frontier is not cam-live's clock");
      assertEquals(true, old.get().shed(), "an hour behind its own camera's newest window");
    }
  }

  @Test
  @Timeout(30)
  void closeWaitsForTheRunningBatchBeforeClosingTheModel() throws Exception {
    GatedModel model = new GatedModel();
    // Logs (and counts) every 5 ms while it waits, so the test sees it outlast any fixed timeout.
    InferenceService s = new InferenceService(model, config(1, 8), () -> 0L, 5);
    CompletableFuture<Completion> running = s.submit(describe("in the model"), "cam-1", 0);
    model.entered.acquire(); // the dispatcher is inside model.run, held at the gate
    CompletableFuture<Completion> queued = s.submit(describe("queued behind it"), "cam-1", 0);

    Thread closer = new Thread(s::close, "closer");
    closer.start();
    while (s.closeWaits() < 20) {
      assertTrue(closer.isAlive(), "close returned while a batch was still running");
      Thread.onSpinWait();
    }
    assertFalse(model.closed, "model closed under a running batch");

    model.gate.release(100);
    closer.join();
    assertTrue(model.closed);
    assertFalse(model.closedWhileRunning);
    assertEquals(
        "echo: in the model", running.get().result().text(), "the running batch completes");
    ExecutionException e = assertThrows(ExecutionException.class, queued::get);
    assertInstanceOf(RetriableInferenceException.class, e.getCause(), "queued work is handed back");
    ExecutionException after =
        assertThrows(ExecutionException.class, () -> s.submit(describe("late"), "cam-1", 0).get());
    assertInstanceOf(RetriableInferenceException.class, after.getCause());
  }

  @Test
  @Timeout(30)
  void closeOfAnIdleServiceClosesTheModelPromptly() {
    GatedModel model = new GatedModel();
    InferenceService s = new InferenceService(model, config(4, 8));
    s.close();
    assertTrue(model.closed);
    s.close(); // idempotent
  }
}
