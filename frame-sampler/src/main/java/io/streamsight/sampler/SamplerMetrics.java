package io.streamsight.sampler;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.metrics.CameraLabels;
import io.streamsight.metrics.KafkaClientMetrics;
import io.streamsight.metrics.KafkaClientMetrics.Pick;
import io.streamsight.schemas.avro.KeyframeReason;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sampler counts, per camera (bounded by {@link CameraLabels}). {@link #NONE} counts
 * nothing (tools, tests, and the metrics-off side of {@code bench metrics}); {@link #prometheus}
 * counts into a registry.
 *
 * <p>Cost per frame with Prometheus: one concurrent-map read for the camera's series, a counter
 * increment and a gauge set (no allocation); keyframes and dead letters are rarer.
 */
public interface SamplerMetrics {
  /** A frame of {@code camera} captured at {@code captureMicros} was processed now. */
  void frame(String camera, long captureMicros);

  void keyframe(String camera, KeyframeReason reason);

  void progress(String camera);

  /** A record went to {@code dlq.frame-sampler}; {@code reason} is a short fixed word. */
  void deadLetter(String reason);

  SamplerMetrics NONE =
      new SamplerMetrics() {
        @Override
        public void frame(String camera, long captureMicros) {}

        @Override
        public void keyframe(String camera, KeyframeReason reason) {}

        @Override
        public void progress(String camera) {}

        @Override
        public void deadLetter(String reason) {}
      };

  /** Counts into {@code registry}. */
  static SamplerMetrics prometheus(PrometheusRegistry registry, CameraLabels labels) {
    return new Prom(registry, labels);
  }

  /** A few of Kafka Streams' own metrics (threads alive, process rate, commit latency, lag). */
  static void registerStreams(PrometheusRegistry registry, SamplerApp app) {
    KafkaClientMetrics.register(
        registry,
        app::metrics,
        new Pick(
            "stream-metrics",
            "alive-stream-threads",
            "streamsight_sampler_streams_alive_threads",
            "Kafka Streams threads alive"),
        new Pick(
            "stream-thread-metrics",
            "process-rate",
            "streamsight_sampler_streams_process_rate",
            "Records processed per second by a stream thread"),
        new Pick(
            "stream-thread-metrics",
            "commit-latency-avg",
            "streamsight_sampler_streams_commit_latency_avg_ms",
            "Average commit (exactly-once transaction) latency in ms"),
        new Pick(
            "consumer-fetch-manager-metrics",
            "records-lag-max",
            "streamsight_sampler_consumer_records_lag_max",
            "Largest lag in records of any partition the sampler reads (cameras.frames and the"
                + " changelog while restoring)"));
  }

  /** The Prometheus side. */
  final class Prom implements SamplerMetrics {
    private final CameraLabels labels;
    private final Counter frames;
    private final Counter keyframes;
    private final Counter progress;
    private final Counter deadLetters;
    private final Gauge lag;
    private final ConcurrentHashMap<String, Series> byCamera = new ConcurrentHashMap<>();

    private record Series(CounterDataPoint frames, GaugeDataPoint lag) {}

    Prom(PrometheusRegistry registry, CameraLabels labels) {
      this.labels = labels;
      frames =
          Counter.builder()
              .name("streamsight_sampler_frames_total")
              .help("Frames the sampler decided on")
              .labelNames("camera")
              .register(registry);
      keyframes =
          Counter.builder()
              .name("streamsight_sampler_keyframes_total")
              .help("Keyframes written to cameras.keyframes, by reason")
              .labelNames("camera", "reason")
              .register(registry);
      progress =
          Counter.builder()
              .name("streamsight_sampler_progress_total")
              .help("Progress records (event time without an image) written to cameras.keyframes")
              .labelNames("camera")
              .register(registry);
      deadLetters =
          Counter.builder()
              .name("streamsight_sampler_dead_letters_total")
              .help("Records written to dlq.frame-sampler, by reason")
              .labelNames("reason")
              .register(registry);
      lag =
          Gauge.builder()
              .name("streamsight_sampler_event_lag_seconds")
              .help(
                  "Wall clock minus the capture time of the camera's newest frame, when processed")
              .labelNames("camera")
              .register(registry);
    }

    private Series series(String camera) {
      String label = labels.of(camera);
      Series s = byCamera.get(label);
      if (s == null) {
        s =
            byCamera.computeIfAbsent(
                label, l -> new Series(frames.labelValues(l), lag.labelValues(l)));
      }
      return s;
    }

    @Override
    public void frame(String camera, long captureMicros) {
      Series s = series(camera);
      s.frames().inc();
      s.lag().set((System.currentTimeMillis() * 1000 - captureMicros) / 1e6);
    }

    @Override
    public void keyframe(String camera, KeyframeReason reason) {
      keyframes.labelValues(labels.of(camera), reason.name().toLowerCase(Locale.ROOT)).inc();
    }

    @Override
    public void progress(String camera) {
      progress.labelValues(labels.of(camera)).inc();
    }

    @Override
    public void deadLetter(String reason) {
      deadLetters.labelValues(reason).inc();
    }
  }
}
