package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * A deterministic stand-in model for the service's unit tests: echoes the request text, records
 * each batch's size, and runs a batch only when the test opens the gate (so tests can pile requests
 * up behind a busy model without sleeping). Records whether it was closed while a batch was inside
 * it, which on ONNX Runtime would free native memory a run still uses.
 */
final class GatedModel implements VisionLanguageModel {
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

  /** The texts of the requests run, in the order the model ran them. */
  final List<String> ran = new CopyOnWriteArrayList<>();

  final Semaphore gate = new Semaphore(0);

  /** Released once each time a batch enters the model (before it waits at the gate). */
  final Semaphore entered = new Semaphore(0);

  volatile boolean running;
  volatile boolean closed;
  volatile boolean closedWhileRunning;

  @Override
  public String modelId() {
    return "gated";
  }

  @Override
  public List<VlmResult> run(List<VlmRequest> requests) {
    running = true;
    entered.release();
    gate.acquireUninterruptibly();
    batchSizes.add(requests.size());
    requests.forEach(r -> ran.add(r.text()));
    running = false;
    Timings t = new Timings(0, 0, 0, 0, 0, 0, 0, requests.size());
    return requests.stream()
        .map(
            r ->
                new VlmResult(
                    r.task() == Task.SCORE ? "" : "echo: " + r.text(),
                    new long[0],
                    r.task() == Task.SCORE ? 1.0 : Double.NaN,
                    1,
                    1,
                    r.task() == Task.SCORE ? FinishReason.SCORED : FinishReason.STOP,
                    t,
                    null))
        .toList();
  }

  @Override
  public void close() {
    closedWhileRunning |= running;
    closed = true;
  }
}
