package io.streamsight.vlm.operator.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map that drops its least recently used entry when full: for caches and bookkeeping
 * keyed by input (camera or rule ids), which must not grow with every id ever seen. Not
 * thread-safe.
 */
public final class Lru<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int max;

  public Lru(int max) {
    super(16, 0.75f, true);
    this.max = max;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > max;
  }
}
