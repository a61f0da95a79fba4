package io.streamsight.deploy.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.sinks.connect.status.DeliveryStats;
import io.streamsight.sinks.connect.status.DeliveryStats.Snapshot;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The subscription connectors' delivery counters of this Connect worker ({@link DeliveryStats}, the
 * same numbers {@code subscriptions status} shows), read at scrape time, labelled by subscription.
 * They count since the subscription's task started on this worker, so a rebalance or restart resets
 * them (Prometheus' {@code rate()} and {@code increase()} handle counter resets). Subscriptions are
 * few and named by an operator, so the label needs no cap.
 */
public final class SubscriptionMetrics {
  private SubscriptionMetrics() {}

  public static void register(PrometheusRegistry registry) {
    counter(registry, "delivered", "Notifications the receiver accepted", Snapshot::delivered);
    counter(registry, "filtered", "Records the subscription's filter left out", Snapshot::filtered);
    counter(
        registry,
        "dead_lettered",
        "Notifications given up on and written to the subscription's dead-letter topic",
        Snapshot::deadLettered);
    GaugeWithCallback.builder()
        .name("streamsight_subscription_retrying")
        .help("Notifications waiting for a retry right now")
        .labelNames("subscription")
        .callback(cb -> DeliveryStats.all().forEach((k, v) -> cb.call(v.retrying(), k)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamsight_subscription_last_error_timestamp_seconds")
        .help("When the subscription last failed a delivery (0 = never since its task started)")
        .labelNames("subscription")
        .callback(
            cb ->
                DeliveryStats.all()
                    .forEach(
                        (k, v) ->
                            cb.call(
                                v.lastError() == null
                                    ? 0
                                    : v.lastError().at().toEpochMilli() / 1000.0,
                                k)))
        .register(registry);
  }

  private static void counter(
      PrometheusRegistry registry, String name, String help, ToDoubleFunction<Snapshot> value) {
    CounterWithCallback.builder()
        .name("streamsight_subscription_" + name + "_total")
        .help(help)
        .labelNames("subscription")
        .callback(
            cb -> {
              for (Map.Entry<String, Snapshot> e : DeliveryStats.all().entrySet()) {
                cb.call(value.applyAsDouble(e.getValue()), e.getKey());
              }
            })
        .register(registry);
  }
}
