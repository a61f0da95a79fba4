package io.streamsight.vlm.remote;

import io.streamsight.vlm.api.ModelUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * At most {@code maxConcurrent} requests to one server in flight, shared by every caller of the
 * model, and a batch's requests run side by side within that bound. A slot is held for a request
 * with its retries and backoff waits, so a server pushing back with 429 gets no more callers than
 * that; every wait here has a deadline.
 */
final class RequestSlots implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final String model;
  private final String server;
  private final int maxConcurrent;
  private final Duration budget;
  private final Semaphore slots;
  private final ThreadPoolExecutor workers;

  /**
   * @param budget the longest one request may hold a slot (every attempt has its deadline, every
   *     backoff its cap)
   */
  RequestSlots(String model, String server, int maxConcurrent, Duration budget) {
    this.model = model;
    this.server = server;
    this.maxConcurrent = maxConcurrent;
    this.budget = budget;
    this.slots = new Semaphore(maxConcurrent, true);
    int pool = POOLS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    // A slot is taken before a task is submitted, so no more than maxConcurrent tasks exist and the
    // queue bound is never reached; it is there so nothing here can grow without one.
    this.workers =
        new ThreadPoolExecutor(
            maxConcurrent,
            maxConcurrent,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(maxConcurrent),
            r -> {
              Thread t = new Thread(r, "vlm-remote-" + pool + "-" + thread.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs the calls, one after another on the caller's thread or side by side on the pool, and
   * returns their results in order. A call that throws anything but {@link
   * ModelUnavailableException} yields {@code failed.apply(reason)} for itself alone.
   *
   * @throws ModelUnavailableException a call threw it, or no slot came free within the budget
   */
  <T> List<T> run(List<Supplier<T>> calls, boolean concurrently, Function<String, T> failed) {
    List<T> results = new ArrayList<>(calls.size());
    if (!concurrently) {
      for (Supplier<T> call : calls) {
        take();
        try {
          results.add(guarded(call, failed));
        } finally {
          slots.release();
        }
      }
      return results;
    }
    List<Future<T>> futures = new ArrayList<>(calls.size());
    for (Supplier<T> call : calls) {
      take();
      try {
        futures.add(
            workers.submit(
                () -> {
                  try {
                    return guarded(call, failed);
                  } finally {
                    slots.release();
                  }
                }));
      } catch (RejectedExecutionException e) {
        slots.release();
        throw new ModelUnavailableException(model, "the model is closed", e);
      }
    }
    for (Future<T> f : futures) {
      results.add(await(f, failed));
    }
    return results;
  }

  private static <T> T guarded(Supplier<T> call, Function<String, T> failed) {
    try {
      return call.get();
    } catch (ModelUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // A bug or an SDK surprise fails its own request, never the batch or the caller.
      return failed.apply("unexpected error: " + RetryingCaller.clip(String.valueOf(e)));
    }
  }

  private void take() {
    try {
      if (!slots.tryAcquire(budget.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ModelUnavailableException(
            model,
            "all "
                + maxConcurrent
                + " request slots to "
                + server
                + " stayed busy for "
                + budget.toMillis()
                + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException(model, "interrupted while waiting for a request slot", e);
    }
  }

  private <T> T await(Future<T> f, Function<String, T> failed) {
    try {
      return f.get(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new ModelUnavailableException(model, "interrupted while waiting for the server", e);
    } catch (TimeoutException e) {
      // Only if the HTTP client ignored its own deadline; bounded all the same.
      f.cancel(true);
      return failed.apply("no answer within " + budget.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ModelUnavailableException u) {
        throw u;
      }
      return failed.apply("request failed: " + RetryingCaller.clip(String.valueOf(e.getCause())));
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
