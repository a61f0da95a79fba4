package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.util.BoundedLabels;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * What the models cost, per model name and camera: requests, prompt tokens ({@code tokensIn}),
 * completion tokens ({@code tokensOut}), failures and a latency histogram (submission to result,
 * queue included), as Flink metrics in the groups {@code model=<name>, camera=<id>} (labels in
 * Prometheus). At most {@value #MAX_CAMERAS} cameras per subtask get their own label, the rest
 * {@code other} ({@link BoundedLabels}). Per model alone: {@code unavailable} (server down or
 * circuit open), {@code budgetSpent} and {@code fallbacks} (work that went to the next model).
 *
 * <p>Updated from the inference service's completion threads, hence synchronised.
 */
final class CostMetrics {
  static final int MAX_CAMERAS = 200;
  private static final int LATENCY_SAMPLES = 128; // per (model, camera): 1 KiB each

  private final MetricGroup group;
  private final BoundedLabels cameras = new BoundedLabels(MAX_CAMERAS);
  private final Map<String, PerModel> models = new HashMap<>();
  private final Map<String, PerCamera> series = new HashMap<>();

  CostMetrics(MetricGroup group) {
    this.group = group;
  }

  private record PerModel(Counter unavailable, Counter budgetSpent, Counter fallbacks) {}

  private record PerCamera(
      Counter requests, Counter tokensIn, Counter tokensOut, Counter failures, Histogram latency) {}

  private PerModel model(String name) {
    return models.computeIfAbsent(
        name,
        n -> {
          MetricGroup g = group.addGroup("model", n);
          return new PerModel(
              g.counter("unavailable"), g.counter("budgetSpent"), g.counter("fallbacks"));
        });
  }

  private PerCamera series(String model, String camera) {
    String label = cameras.label(camera);
    return series.computeIfAbsent(
        model + '\u0000' + label,
        k -> {
          MetricGroup g = group.addGroup("model", model).addGroup("camera", label);
          return new PerCamera(
              g.counter("requests"),
              g.counter("tokensIn"),
              g.counter("tokensOut"),
              g.counter("failures"),
              g.histogram("latencyMillis", new DescriptiveStatisticsHistogram(LATENCY_SAMPLES)));
        });
  }

  /** One request {@code model} ran (or failed) for {@code camera}. */
  synchronized void ran(String model, String camera, VlmResult r, long millis) {
    PerCamera s = series(model, camera);
    s.requests.inc();
    s.latency.update(millis);
    if (r == null || r.finishReason() == FinishReason.ERROR) {
      s.failures.inc();
    }
    if (r != null) {
      s.tokensIn.inc(Math.max(0, r.promptTokens()));
      s.tokensOut.inc(Math.max(0, r.generatedTokens()));
    }
  }

  /** A request {@code model} could not take; {@code next} says whether another model will. */
  synchronized void unavailable(String model, String camera, boolean budget, boolean next) {
    PerModel m = model(model);
    (budget ? m.budgetSpent : m.unavailable).inc();
    if (next) {
      m.fallbacks.inc();
    }
    series(model, camera).failures.inc();
  }
}
