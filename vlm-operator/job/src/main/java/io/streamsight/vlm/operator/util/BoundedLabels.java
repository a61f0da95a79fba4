package io.streamsight.vlm.operator.util;

import java.util.HashSet;
import java.util.Set;

/**
 * Metric label values from an open set (camera ids, rule ids) with a bound: the first {@code max}
 * distinct values seen get their own label, every later one {@value #OTHER}. A Prometheus series
 * per label value costs memory in every scrape and in the TSDB, so an unbounded set (thousands of
 * cameras, rules made by scripts) must not become unbounded series. First seen, per subtask: after
 * a restart the set may differ (labels are for dashboards, not for exact accounting).
 */
public final class BoundedLabels {
  public static final String OTHER = "other";
  private final int max;
  private final Set<String> own = new HashSet<>();

  public BoundedLabels(int max) {
    this.max = max;
  }

  public synchronized String label(String value) {
    if (own.contains(value)) {
      return value;
    }
    if (own.size() < max && !OTHER.equals(value)) {
      own.add(value);
      return value;
    }
    return OTHER;
  }
}
