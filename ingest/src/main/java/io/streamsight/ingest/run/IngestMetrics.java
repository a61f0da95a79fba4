package io.streamsight.ingest.run;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.metrics.CameraLabels;
import io.streamsight.metrics.KafkaClientMetrics;
import io.streamsight.metrics.KafkaClientMetrics.Pick;
import io.streamsight.schemas.avro.CameraState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The ingest stage's Prometheus metrics, read from each camera's {@link CameraStats} when scraped:
 * the decoder loop and the Kafka callbacks keep counting into their atomics as before, and nothing
 * is added to the per-frame path. Per camera, bounded by {@link CameraLabels} (cameras beyond the
 * cap are summed under {@code camera="_other"}).
 */
public final class IngestMetrics {
  private IngestMetrics() {}

  /** Registers the per-camera metrics of {@code service} and a few of the producer's. */
  public static void register(
      PrometheusRegistry registry,
      IngestService service,
      KafkaPublisher publisher,
      CameraLabels labels) {
    List<CameraWorker> workers = service.workers();
    counter(
        registry, labels, workers, "frames_decoded", "Frames decoded and kept", s -> s.decoded());
    counter(
        registry,
        labels,
        workers,
        "frames_published",
        "Frames acknowledged by Kafka on cameras.frames",
        s -> s.published());
    counter(
        registry,
        labels,
        workers,
        "frames_dropped",
        "Frames a live camera dropped because Kafka pushed back",
        s -> s.dropped());
    counter(
        registry,
        labels,
        workers,
        "send_errors",
        "Frames Kafka did not accept after the producer's retries (lost)",
        s -> s.sendErrors());
    counter(
        registry,
        labels,
        workers,
        "corrupt_packets",
        "Packets the decoder reported corrupt",
        s -> s.corruptPackets());
    counter(
        registry,
        labels,
        workers,
        "reconnects",
        "Reconnects of a live source",
        s -> s.reconnects());
    GaugeWithCallback.builder()
        .name("streamsight_ingest_last_published_timestamp_seconds")
        .help("Wall-clock time Kafka last acknowledged a frame of the camera (0 = never)")
        .labelNames("camera")
        .callback(
            cb ->
                byLabel(labels, workers, s -> s.lastPublishedMillis() / 1000.0, Math::max)
                    .forEach((camera, v) -> cb.call(v, camera)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamsight_ingest_camera_state")
        .help(
            "Cameras in each state (1 for a camera with its own series): connecting, online,"
                + " reconnecting, offline, failed, ended")
        .labelNames("camera", "state")
        .callback(
            cb -> {
              Map<String, Map<CameraState, Integer>> counts = new HashMap<>();
              for (CameraWorker w : workers) {
                counts
                    .computeIfAbsent(labels.of(w.config().id()), k -> new HashMap<>())
                    .merge(w.stats().state(), 1, Integer::sum);
              }
              counts.forEach(
                  (camera, byState) -> {
                    for (CameraState st : CameraState.values()) {
                      cb.call(
                          byState.getOrDefault(st, 0),
                          camera,
                          st.name().toLowerCase(java.util.Locale.ROOT));
                    }
                  });
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamsight_ingest_cameras")
        .help("Cameras this process ingests")
        .callback(cb -> cb.call(workers.size()))
        .register(registry);
    if (publisher != null) {
      KafkaClientMetrics.register(
          registry,
          publisher::metrics,
          new Pick(
              "producer-metrics",
              "record-send-rate",
              "streamsight_ingest_producer_record_send_rate",
              "Records sent per second"),
          new Pick(
              "producer-metrics",
              "record-error-rate",
              "streamsight_ingest_producer_record_error_rate",
              "Record sends per second that failed"),
          new Pick(
              "producer-metrics",
              "request-latency-avg",
              "streamsight_ingest_producer_request_latency_avg_ms",
              "Average produce request latency in ms"),
          new Pick(
              "producer-metrics",
              "buffer-available-bytes",
              "streamsight_ingest_producer_buffer_available_bytes",
              "Producer buffer memory not in use"));
    }
  }

  private static void counter(
      PrometheusRegistry registry,
      CameraLabels labels,
      List<CameraWorker> workers,
      String name,
      String help,
      ToDoubleFunction<CameraStats> value) {
    CounterWithCallback.builder()
        .name("streamsight_ingest_" + name + "_total")
        .help(help)
        .labelNames("camera")
        .callback(
            cb ->
                byLabel(labels, workers, value, Double::sum)
                    .forEach((camera, v) -> cb.call(v, camera)))
        .register(registry);
  }

  /** The value of each camera, combined per label ({@code _other} sums or maxes the rest). */
  static Map<String, Double> byLabel(
      CameraLabels labels,
      List<CameraWorker> workers,
      ToDoubleFunction<CameraStats> value,
      java.util.function.BinaryOperator<Double> combine) {
    Map<String, Double> out = new HashMap<>();
    Function<CameraWorker, String> label = w -> labels.of(w.config().id());
    for (CameraWorker w : workers) {
      out.merge(label.apply(w), value.applyAsDouble(w.stats()), combine);
    }
    return out;
  }
}
