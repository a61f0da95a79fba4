package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.SheddingClock;
import io.streamsight.vlm.operator.util.Lru;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches model requests from every key and subtask of one TaskManager into as few model runs as
 * possible: a batch starts with the first waiting request and takes whatever else arrives within
 * {@code maxWait}, up to {@code maxBatch}. One dispatcher thread owns the model, so a GPU sees one
 * full batch at a time instead of many small concurrent ones.
 *
 * <p>The queue is bounded; a full queue rejects with a {@link RetriableInferenceException} (the
 * caller retries, then Flink's async capacity backpressures). Requests whose event time lags the
 * shedding clock by more than the budget are shed when their batch is formed, so an overloaded
 * model catches up instead of working on ever older windows.
 *
 * <p>The {@link SheddingClock#FRONTIER} clock is per camera: the newest window end submitted for
 * the same camera. One shared frontier would let a single camera whose time runs ahead (a wrong
 * clock, a fast replay) make every other camera's windows look old, and shed them all. The
 * frontiers live in a bounded LRU ({@value #MAX_CAMERAS} cameras per TaskManager); a camera that
 * falls out simply starts a new frontier with its next window, which can only shed less.
 */
public final class InferenceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

  /** Event time of requests that must never be shed (live questions). */
  public static final long NEVER_SHED = Long.MAX_VALUE;

  private final VisionLanguageModel model;
  private final InferenceConfig config;
  private final BlockingQueue<Pending> queue;
  static final int MAX_CAMERAS = 65_536;
  private final Map<String, Long> frontiers = new Lru<>(MAX_CAMERAS);
  private final LongSupplier wallMicros;
  private final Thread dispatcher;
  private volatile boolean closed;
  private volatile int lastBatchSize;

  private record Pending(
      VlmRequest request,
      String camera,
      long eventMicros,
      long submittedNanos,
      CompletableFuture<Completion> f) {}

  public InferenceService(VisionLanguageModel model, InferenceConfig config) {
    this(model, config, () -> System.currentTimeMillis() * 1000);
  }

  InferenceService(VisionLanguageModel model, InferenceConfig config, LongSupplier wallMicros) {
    this.model = model;
    this.config = config;
    this.wallMicros = wallMicros;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.dispatcher = new Thread(this::dispatchLoop, "vlm-inference-" + model.modelId());
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  public String modelId() {
    return model.modelId();
  }

  public int queueDepth() {
    return queue.size();
  }

  public int lastBatchSize() {
    return lastBatchSize;
  }

  /**
   * Queues one request.
   *
   * @param camera the camera the request is about (its frontier is the shedding clock)
   * @param eventMicros event time the request is about ({@link #NEVER_SHED} to exempt it)
   */
  public CompletableFuture<Completion> submit(VlmRequest request, String camera, long eventMicros) {
    CompletableFuture<Completion> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new RetriableInferenceException("inference service is closed"));
      return f;
    }
    if (eventMicros != NEVER_SHED) {
      synchronized (frontiers) {
        frontiers.merge(camera, eventMicros, Math::max);
      }
    }
    if (!queue.offer(new Pending(request, camera, eventMicros, System.nanoTime(), f))) {
      f.completeExceptionally(
          new RetriableInferenceException(
              "inference queue full (" + config.queueCapacity() + " pending)"));
    }
    return f;
  }

  private void dispatchLoop() {
    List<Pending> batch = new ArrayList<>(config.maxBatch());
    while (!closed) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + config.maxWait().toNanos();
        while (batch.size() < config.maxBatch()) {
          long left = deadline - System.nanoTime();
          Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("inference dispatcher failed a batch", e);
      } finally {
        batch.clear();
      }
    }
    failAll(new RetriableInferenceException("inference service closed"));
  }

  private void runBatch(List<Pending> batch) {
    long now = System.nanoTime();
    long wall = wallMicros.getAsLong();
    long budget = config.sheddingBudget().toNanos() / 1000;
    List<Pending> run = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      double queueMillis = (now - p.submittedNanos) / 1e6;
      if (p.eventMicros != NEVER_SHED && clock(p, wall) - p.eventMicros > budget) {
        p.f.complete(Completion.shed(queueMillis));
      } else {
        run.add(p);
      }
    }
    if (run.isEmpty()) {
      return;
    }
    List<VlmResult> results;
    try {
      results = model.run(run.stream().map(Pending::request).toList());
    } catch (RuntimeException e) {
      InferenceFailedException failure =
          new InferenceFailedException(
              "model " + model.modelId() + " failed a batch of " + run.size(), e);
      run.forEach(p -> p.f.completeExceptionally(failure));
      return;
    }
    lastBatchSize = run.size();
    for (int i = 0; i < run.size(); i++) {
      Pending p = run.get(i);
      p.f.complete(
          new Completion(results.get(i), false, (now - p.submittedNanos) / 1e6, run.size()));
    }
  }

  private long clock(Pending p, long wall) {
    if (config.sheddingClock() == SheddingClock.WALL) {
      return wall;
    }
    synchronized (frontiers) {
      Long f = frontiers.get(p.camera);
      return f == null ? p.eventMicros : f;
    }
  }

  private void failAll(RuntimeException e) {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.f.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
    try {
      dispatcher.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failAll(new RetriableInferenceException("inference service closed"));
    model.close();
  }
}
