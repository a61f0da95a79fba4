package io.streamsight.metrics;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code camera} label of per-camera series, bounded: the first {@code max} distinct cameras
 * seen get a series of their own, every later one is counted under {@link #OTHER}. Prometheus keeps
 * every label value as its own series forever (memory, and the cost of every query over them), so
 * an unbounded label is a slow leak; 500 cameras (the default) are a few thousand series per stage.
 * A camera never moves from its own series to {@code _other} or back while the process runs; after
 * a restart the first {@code max} cameras seen again get their own series.
 *
 * <p>Thread-safe; a lookup of a known camera is one concurrent-map read.
 */
public final class CameraLabels {
  /** The label value of every camera beyond the cap (and of a missing camera id). */
  public static final String OTHER = "_other";

  /** Cameras with their own series by default. */
  public static final int DEFAULT_MAX = 500;

  private final int max;
  private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

  public CameraLabels(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max cameras must be >= 0, got " + max);
    }
    this.max = max;
  }

  public CameraLabels() {
    this(DEFAULT_MAX);
  }

  /** The label value for {@code camera}: its id while under the cap, else {@link #OTHER}. */
  public String of(String camera) {
    if (camera == null || camera.isEmpty() || camera.equals(OTHER)) {
      return OTHER;
    }
    String label = known.get(camera);
    if (label != null) {
      return label;
    }
    synchronized (this) {
      label = known.get(camera);
      if (label == null) {
        if (known.size() >= max) {
          return OTHER;
        }
        known.put(camera, camera);
        label = camera;
      }
      return label;
    }
  }

  /** Cameras that have a series of their own. */
  public int size() {
    return known.size();
  }

  public int max() {
    return max;
  }
}
