package io.streamsight.sampler;

import static io.streamsight.sampler.TestFrames.frame;
import static io.streamsight.sampler.TestFrames.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.streamsight.metrics.CameraLabels;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler's Prometheus counters, through the production topology. */
class SamplerMetricsTest {
  private static final long SEC = 1_000_000L;

  @TempDir Path stateDir;

  @Test
  void countsFramesKeyframesByReasonAndDeadLettersPerCameraWithTheCap() {
    PrometheusRegistry registry = new PrometheusRegistry();
    SamplerMetrics metrics = SamplerMetrics.prometheus(registry, new CameraLabels(1));
    long t0 = System.currentTimeMillis() * 1000 - 3 * SEC;
    try (SamplerDriver s =
        new SamplerDriver(SamplerConfig.standard(), stateDir, PendingQuestions.NONE, metrics)) {
      for (int i = 0; i < 3; i++) {
        s.send(frame("cam-a", "s1", i, t0 + i * 200_000L, scene(1)));
      }
      s.send(frame("cam-b", "s1", 0, t0, scene(2)));
      s.rawFrames.pipeInput(new byte[] {1}, new byte[] {1, 2, 3});
    }
    assertEquals(
        Map.of("camera=cam-a", 3.0, "camera=_other", 1.0),
        values(registry, "streamsight_sampler_frames"));
    assertEquals(
        Map.of("camera=cam-a,reason=first", 1.0, "camera=_other,reason=first", 1.0),
        values(registry, "streamsight_sampler_keyframes"));
    assertEquals(
        Map.of("reason=undecodable", 1.0), values(registry, "streamsight_sampler_dead_letters"));
    double lag = values(registry, "streamsight_sampler_event_lag_seconds").get("camera=cam-a");
    assertTrue(lag > 2 && lag < 60, "lag of a frame captured about 2.6 s ago: " + lag);
  }

  /** Label set (sorted, k=v) to value of one metric family. */
  static Map<String, Double> values(PrometheusRegistry registry, String name) {
    Map<String, Double> out = new TreeMap<>();
    for (MetricSnapshot m : registry.scrape()) {
      if (!m.getMetadata().getName().equals(name)) {
        continue;
      }
      m.getDataPoints()
          .forEach(
              d -> {
                StringBuilder k = new StringBuilder();
                d.getLabels()
                    .forEach(
                        l ->
                            k.append(k.length() == 0 ? "" : ",")
                                .append(l.getName())
                                .append('=')
                                .append(l.getValue()));
                double v =
                    d instanceof CounterSnapshot.CounterDataPointSnapshot c
                        ? c.getValue()
                        : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
                out.put(k.toString(), v);
              });
    }
    return out;
  }
}
