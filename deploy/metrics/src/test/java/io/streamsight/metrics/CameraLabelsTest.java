package io.streamsight.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CameraLabelsTest {
  @Test
  void camerasBeyondTheCapShareTheOtherSeries() {
    CameraLabels labels = new CameraLabels(2);
    assertEquals("cam-a", labels.of("cam-a"));
    assertEquals("cam-b", labels.of("cam-b"));
    assertEquals(CameraLabels.OTHER, labels.of("cam-c"));
    assertEquals(CameraLabels.OTHER, labels.of("cam-d"));
    // A camera with its own series keeps it.
    assertEquals("cam-a", labels.of("cam-a"));
    assertEquals(2, labels.size());
  }

  @Test
  void missingIdsAndTheReservedValueCountAsOther() {
    CameraLabels labels = new CameraLabels(10);
    assertEquals(CameraLabels.OTHER, labels.of(null));
    assertEquals(CameraLabels.OTHER, labels.of(""));
    assertEquals(CameraLabels.OTHER, labels.of(CameraLabels.OTHER));
    assertEquals(0, labels.size());
  }

  @Test
  void aCounterLabelledThroughItHasAtMostMaxPlusOneSeries() {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter frames = Counter.builder().name("frames_total").labelNames("camera").register(registry);
    CameraLabels labels = new CameraLabels(3);
    for (int i = 0; i < 10; i++) {
      frames.labelValues(labels.of("cam-" + i)).inc();
    }
    Map<String, Double> byCamera = new TreeMap<>();
    CounterSnapshot s = (CounterSnapshot) registry.scrape().get(0);
    s.getDataPoints().forEach(d -> byCamera.put(d.getLabels().get("camera"), d.getValue()));
    assertEquals(Map.of("cam-0", 1.0, "cam-1", 1.0, "cam-2", 1.0, "_other", 7.0), byCamera);
  }

  @Test
  void concurrentFirstSightingsNeverExceedTheCap() throws Exception {
    CameraLabels labels = new CameraLabels(50);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      pool.submit(
          () -> {
            for (int i = 0; i < 200; i++) {
              labels.of("cam-" + (base + i));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    assertEquals(50, labels.size());
  }

  @Test
  void aNegativeCapIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CameraLabels(-1));
  }
}
