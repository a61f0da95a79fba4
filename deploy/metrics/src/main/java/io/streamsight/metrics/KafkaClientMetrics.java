package io.streamsight.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A few chosen metrics of a Kafka client (producer, consumer, Kafka Streams, Connect) as Prometheus
 * gauges, read from the client's own metric registry at scrape time (nothing is copied on the data
 * path). Kafka clients have hundreds of metrics, most per partition; only the named ones are
 * exposed, labelled {@code client} by the metric's {@code client-id} or {@code thread-id} tag, and
 * only metrics with no other tags than those (and Kafka Streams' {@code process-id}) (so per-topic
 * and per-partition series never leak into the label set).
 */
public final class KafkaClientMetrics {
  private KafkaClientMetrics() {}

  /**
   * One exposed metric: Kafka's {@code group} and {@code name}, and the Prometheus name and help.
   */
  public record Pick(String group, String name, String prometheusName, String help) {}

  /** Registers a gauge per {@link Pick} reading {@code metrics} when scraped. */
  public static void register(
      PrometheusRegistry registry,
      Supplier<Map<MetricName, ? extends Metric>> metrics,
      Pick... picks) {
    for (Pick p : picks) {
      GaugeWithCallback.builder()
          .name(p.prometheusName())
          .help(p.help() + " (Kafka metric " + p.group() + "/" + p.name() + ")")
          .labelNames("client")
          .callback(
              cb -> {
                Set<String> seen = new HashSet<>();
                for (Map.Entry<MetricName, Double> e : values(metrics.get(), p).entrySet()) {
                  String client = client(e.getKey());
                  if (seen.add(client)) {
                    cb.call(e.getValue(), client);
                  }
                }
              })
          .register(registry);
    }
  }

  static Map<MetricName, Double> values(Map<MetricName, ? extends Metric> all, Pick p) {
    Map<MetricName, Double> out = new LinkedHashMap<>();
    if (all == null) {
      return out;
    }
    for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
      MetricName n = e.getKey();
      if (!n.group().equals(p.group()) || !n.name().equals(p.name()) || !onlyClientTags(n)) {
        continue;
      }
      Object v = e.getValue().metricValue();
      if (v instanceof Number num && !Double.isNaN(num.doubleValue())) {
        out.put(n, num.doubleValue());
      }
    }
    return out;
  }

  private static boolean onlyClientTags(MetricName n) {
    for (String k : n.tags().keySet()) {
      // process-id: Kafka Streams' one id per process (KIP-1091), so bounded too.
      if (!k.equals("client-id") && !k.equals("thread-id") && !k.equals("process-id")) {
        return false;
      }
    }
    return true;
  }

  private static String client(MetricName n) {
    String t = n.tags().get("thread-id");
    if (t == null) {
      t = n.tags().get("client-id");
    }
    return t == null ? "" : t;
  }
}
