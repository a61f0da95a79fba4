package io.streamsight.vlm.operator.metrics;

import io.streamsight.metrics.CameraLabels;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-camera Flink metrics of one operator instance, under {@code streamsight.camera.<camera>}:
 * Flink's Prometheus reporter turns the key-value group into a {@code camera} label. Cameras are
 * bounded per subtask by {@link CameraLabels} ({@value CameraLabels#DEFAULT_MAX}; the rest count
 * under {@code camera="_other"}). Used from the operator's task thread only (Flink calls a function
 * from one thread), so the maps need no locking; gauges are read by the reporter thread through
 * their volatile value.
 */
public final class CameraMetrics {
  private final MetricGroup group;
  private final CameraLabels labels = new CameraLabels();
  private final Map<String, MetricGroup> groups = new HashMap<>();
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Value> gauges = new HashMap<>();

  /** A gauge's latest value. */
  public static final class Value implements Gauge<Double> {
    private volatile double value;

    public void set(double v) {
      value = v;
    }

    @Override
    public Double getValue() {
      return value;
    }
  }

  /** Metrics under {@code parent.streamsight}. */
  public CameraMetrics(MetricGroup parent) {
    this.group = parent.addGroup("streamsight");
  }

  /** The {@code streamsight} group itself, for metrics without a camera. */
  public MetricGroup group() {
    return group;
  }

  public Counter counter(String camera, String name) {
    String label = labels.of(camera);
    return counters.computeIfAbsent(label + '\n' + name, k -> cameraGroup(label).counter(name));
  }

  public Value gauge(String camera, String name) {
    String label = labels.of(camera);
    return gauges.computeIfAbsent(
        label + '\n' + name, k -> cameraGroup(label).gauge(name, new Value()));
  }

  private MetricGroup cameraGroup(String label) {
    return groups.computeIfAbsent(label, l -> group.addGroup("camera", l));
  }
}
