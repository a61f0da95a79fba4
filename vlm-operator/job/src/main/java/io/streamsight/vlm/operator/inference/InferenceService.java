package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.SheddingClock;
import io.streamsight.vlm.operator.util.Lru;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Urgent requests (live questions: a person is waiting) go ahead of every queued window request,
 * first come first served among themselves; they still wait for the batch the model is running. A
 * question never waits behind a queue of window work, at the cost of those windows waiting one
 * batch longer.
 */
public final class InferenceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

  /** Event time of requests that must never be shed (live questions). */
  public static final long NEVER_SHED = Long.MAX_VALUE;

  private static final long CLOSE_LOG_INTERVAL_MILLIS = 10_000;

  private final long closeLogIntervalMillis;

  /** How many times close logged that it is still waiting for the running batch. */
  private final AtomicLong closeWaits = new AtomicLong();

  private final VisionLanguageModel model;
  private final InferenceConfig config;
  private final BlockingQueue<Pending> queue;
  private final int capacity;
  private final AtomicLong submitted = new AtomicLong();
  static final int MAX_CAMERAS = 65_536;
  private final Map<String, Long> frontiers = new Lru<>(MAX_CAMERAS);
  private final LongSupplier wallMicros;
  private final Thread dispatcher;

  /**
   * Guards the hand-over between the dispatcher and {@link #close}: a batch only starts while the
   * service is open, and close only interrupts a dispatcher that is waiting for work, never one
   * inside the model (an interrupt can abort interruptible I/O half-way through a native run).
   */
  private final Object lifecycle = new Object();

  private boolean closed;
  private boolean inModel;
  private volatile long batchStartNanos;
  private volatile int lastBatchSize;

  private record Pending(
      VlmRequest request,
      String camera,
      long eventMicros,
      long submittedNanos,
      boolean urgent,
      long seq,
      CompletableFuture<Completion> f) {}

  /** Urgent first, then in submission order. */
  private static final Comparator<Pending> ORDER =
      Comparator.comparing((Pending p) -> !p.urgent).thenComparingLong(Pending::seq);

  public InferenceService(VisionLanguageModel model, InferenceConfig config) {
    this(model, config, () -> System.currentTimeMillis() * 1000);
  }

  InferenceService(VisionLanguageModel model, InferenceConfig config, LongSupplier wallMicros) {
    this(model, config, wallMicros, CLOSE_LOG_INTERVAL_MILLIS);
  }

  InferenceService(
      VisionLanguageModel model,
      InferenceConfig config,
      LongSupplier wallMicros,
      long closeLogIntervalMillis) {
    this.closeLogIntervalMillis = closeLogIntervalMillis;
    this.model = model;
    this.config = config;
    this.wallMicros = wallMicros;
    this.capacity = config.queueCapacity();
    this.queue = new PriorityBlockingQueue<>(Math.min(capacity, 1024), ORDER);
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

  long closeWaits() {
    return closeWaits.get();
  }

  /**
   * Queues one request.
   *
   * @param camera the camera the request is about (its frontier is the shedding clock)
   * @param eventMicros event time the request is about ({@link #NEVER_SHED} to exempt it)
   */
  public CompletableFuture<Completion> submit(VlmRequest request, String camera, long eventMicros) {
    return submit(request, camera, eventMicros, false);
  }

  /**
   * Queues one request; an {@code urgent} one (a live question) goes ahead of the queued others.
   *
   * @param camera the camera the request is about (its frontier is the shedding clock)
   * @param eventMicros event time the request is about ({@link #NEVER_SHED} to exempt it)
   */
  public CompletableFuture<Completion> submit(
      VlmRequest request, String camera, long eventMicros, boolean urgent) {
    CompletableFuture<Completion> f = new CompletableFuture<>();
    if (isClosed()) {
      f.completeExceptionally(new RetriableInferenceException("inference service is closed"));
      return f;
    }
    if (eventMicros != NEVER_SHED) {
      synchronized (frontiers) {
        frontiers.merge(camera, eventMicros, Math::max);
      }
    }
    Pending p =
        new Pending(
            request,
            camera,
            eventMicros,
            System.nanoTime(),
            urgent,
            submitted.incrementAndGet(),
            f);
    if (!offer(p)) {
      f.completeExceptionally(
          new RetriableInferenceException(
              "inference queue full (" + config.queueCapacity() + " pending)"));
    } else if (isClosed()) {
      failAll(closedException()); // raced close: nobody will take it any more
    }
    return f;
  }

  /** The priority queue is unbounded: the capacity is enforced here. */
  private boolean offer(Pending p) {
    synchronized (queue) {
      return queue.size() < capacity && queue.offer(p);
    }
  }

  private boolean isClosed() {
    synchronized (lifecycle) {
      return closed;
    }
  }

  private void dispatchLoop() {
    List<Pending> batch = new ArrayList<>(config.maxBatch());
    while (!isClosed()) {
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
        // Only close interrupts us; whatever was gathered for the next batch goes back as
        // retriable instead of being forgotten.
        batch.forEach(p -> p.f.completeExceptionally(closedException()));
        break;
      } catch (RuntimeException e) {
        LOG.error("inference dispatcher failed a batch", e);
        InferenceFailedException failure =
            new InferenceFailedException("inference dispatcher failed a batch", e);
        batch.forEach(p -> p.f.completeExceptionally(failure));
      } finally {
        batch.clear();
      }
    }
    failAll(closedException());
  }

  private static RetriableInferenceException closedException() {
    return new RetriableInferenceException("inference service closed");
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
    synchronized (lifecycle) {
      if (closed) {
        run.forEach(p -> p.f.completeExceptionally(closedException()));
        return;
      }
      inModel = true;
      batchStartNanos = System.nanoTime();
      // A close that raced the batch forming may have interrupted us: clear it so the model
      // runs without a pending interrupt; close waits for this batch instead.
      Thread.interrupted();
    }
    List<VlmResult> results;
    try {
      results = model.run(run.stream().map(Pending::request).toList());
    } catch (ModelUnavailableException e) {
      // Not a broken job: a dead server, an open circuit or a spent budget. Each request says so,
      // and the caller sheds it (counted) or tries the next model, instead of failing the task.
      boolean spent = e instanceof TokenBudgetModel.BudgetSpentException;
      for (Pending p : run) {
        p.f.complete(
            Completion.unavailable(
                String.valueOf(e.getMessage()), spent, (now - p.submittedNanos) / 1e6));
      }
      return;
    } catch (RuntimeException e) {
      InferenceFailedException failure =
          new InferenceFailedException(
              "model " + model.modelId() + " failed a batch of " + run.size(), e);
      run.forEach(p -> p.f.completeExceptionally(failure));
      return;
    } finally {
      synchronized (lifecycle) {
        inModel = false;
      }
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

  /**
   * Stops taking work, waits for the batch the model is running (if any), fails what is still
   * queued, and only then closes the model. Closing ONNX Runtime sessions while a run is inside
   * them frees memory that native code is still using (a crash of the whole TaskManager), so this
   * waits as long as the batch takes and logs while it does; a batch that never returns leaves the
   * model open (Flink's task cancellation watchdog then takes the TaskManager down cleanly).
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (!inModel) {
        dispatcher.interrupt(); // wakes it from waiting on the queue
      }
    }
    boolean interrupted = false;
    while (dispatcher.isAlive()) {
      try {
        dispatcher.join(closeLogIntervalMillis);
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: returning now would close the model under the batch
      }
      if (dispatcher.isAlive()) {
        closeWaits.incrementAndGet();
        LOG.warn(
            "closing model {}: waiting for the running batch (started {} s ago) to finish",
            model.modelId(),
            (System.nanoTime() - batchStartNanos) / 1_000_000_000);
      }
    }
    failAll(closedException());
    try {
      model.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
