package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * One operator subtask's models: a lease on this TaskManager's inference service of each model it
 * may use ({@link InferenceServices}), and the routing of a request along the models named for its
 * task: the first model that can take it; one that is unavailable (server down, circuit open,
 * budget spent: {@link Completion#isUnavailable()}) hands it to the next, counted as a fallback;
 * when the last cannot either, the request ends unavailable and the caller sheds it. Retriable
 * failures (a full queue) are retried on the same model with {@code inference.retryDelay}.
 */
public final class ModelPool implements AutoCloseable {
  private final Map<String, InferenceServices.Lease> leases = new LinkedHashMap<>();
  private final InferenceConfig config;
  private final CostMetrics cost;

  private ModelPool(InferenceConfig config, MetricGroup group) {
    this.config = config;
    this.cost = new CostMetrics(group);
  }

  /**
   * Leases {@code names}' services on GPU {@code gpu}; metrics under {@code group}. Models are
   * opened here (once per TaskManager and model), not on first use, so a model that cannot load
   * fails the task at start rather than in the middle of the stream.
   */
  public static ModelPool open(
      Models models, Collection<String> names, int gpu, InferenceConfig cfg, MetricGroup group) {
    ModelPool pool = new ModelPool(cfg, group);
    try {
      for (String n : names) {
        pool.leases.put(n, InferenceServices.lease(models.provider(n), gpu, cfg));
        InferenceService s = pool.leases.get(n).service();
        group.addGroup("model", n).gauge("queueDepth", (Gauge<Integer>) s::queueDepth);
      }
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** The model id of {@code name}, or the name when it is not loaded here. */
  public String modelId(String name) {
    InferenceServices.Lease l = leases.get(name);
    return l == null ? name : l.service().modelId();
  }

  /** The first model's id of a chain (for outcomes that never reached a model). */
  public String modelId(List<String> chain) {
    return chain.isEmpty() ? "" : modelId(chain.get(0));
  }

  /**
   * Sends {@code r} along {@code chain}.
   *
   * @param eventMicros event time for the shedding clock ({@link InferenceService#NEVER_SHED})
   * @param urgent goes ahead of queued window work (a person is waiting)
   */
  public CompletableFuture<Routed> submit(
      List<String> chain, VlmRequest r, String camera, long eventMicros, boolean urgent) {
    return submit(chain, 0, r, camera, eventMicros, urgent);
  }

  private CompletableFuture<Routed> submit(
      List<String> chain, int at, VlmRequest r, String camera, long event, boolean urgent) {
    String name = chain.get(at);
    InferenceServices.Lease lease = leases.get(name);
    boolean last = at == chain.size() - 1;
    if (lease == null) {
      // Not loaded by this operator: a rule's verifyWith no declaration backs (dead-lettered
      // upstream, so only a rule from before a restart with fewer models gets here).
      cost.unavailable(name, camera, false, !last);
      Completion c =
          Completion.unavailable("model '" + name + "' is not loaded by this operator", false, 0);
      return last
          ? CompletableFuture.completedFuture(new Routed(name, name, c))
          : submit(chain, at + 1, r, camera, event, urgent);
    }
    long started = System.nanoTime();
    InferenceService service = lease.service();
    return withRetries(() -> service.submit(r, camera, event, urgent), config.retries())
        .handle(
            (c, e) -> {
              if (e != null) {
                cost.ran(name, camera, null, (System.nanoTime() - started) / 1_000_000);
                return CompletableFuture.<Routed>failedFuture(
                    e instanceof CompletionException ce ? ce.getCause() : e);
              }
              if (c.isUnavailable()) {
                cost.unavailable(name, camera, c.budgetSpent(), !last);
                if (!last) {
                  return submit(chain, at + 1, r, camera, event, urgent);
                }
              } else if (!c.shed()) {
                cost.ran(name, camera, c.result(), (System.nanoTime() - started) / 1_000_000);
              }
              return CompletableFuture.completedFuture(new Routed(name, service.modelId(), c));
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Completion> withRetries(
      Supplier<CompletableFuture<Completion>> call, int retriesLeft) {
    return call.get()
        .handle(
            (c, e) -> {
              Throwable cause = e instanceof CompletionException ce ? ce.getCause() : e;
              if (cause instanceof RetriableInferenceException && retriesLeft > 0) {
                return CompletableFuture.supplyAsync(
                        () -> (Void) null,
                        CompletableFuture.delayedExecutor(
                            config.retryDelay().toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(v -> withRetries(call, retriesLeft - 1));
              }
              return e == null
                  ? CompletableFuture.completedFuture(c)
                  : CompletableFuture.<Completion>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (InferenceServices.Lease l : leases.values()) {
      try {
        l.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    leases.clear();
    if (first != null) {
      throw first;
    }
  }
}
