package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.types.FrameRef;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keyframe images of one TaskManager (JVM), by where they live in Kafka, least recently used
 * out first once their bytes pass the budget ({@code images.cacheMiB}). The keyframe source fills
 * it as it reads each record; inference reads from it. State and records between operators carry
 * only {@link FrameRef}s, so this is the only copy of an image in the job: a miss (evicted, read by
 * another TaskManager's source, or a restore that replays from an offset past a window's first
 * keyframes) is read back from Kafka ({@link FrameFetcher}).
 *
 * <p>An entry remembers its camera, capture time and sequence and is only returned for a reference
 * that matches all three: a topic deleted and re-created restarts its offsets, and a stale image
 * must never be shown to the model for another frame.
 *
 * <p>Thread-safe (one lock: a put or get is a map operation, far cheaper than the decode and model
 * work around it).
 */
public final class ImageCache {
  /** The default budget, also {@code images.cacheMiB}'s documented default. */
  public static final int DEFAULT_MIB = 256;

  private static final ImageCache SHARED = new ImageCache(DEFAULT_MIB * 1024L * 1024L);

  private record Key(String topic, int partition, long offset) {}

  private record Entry(String cameraId, long captureMicros, long sequence, byte[] jpeg) {}

  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long maxBytes;
  private long bytes;

  public ImageCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The JVM's cache. Its budget is set by {@link #resize} when the inference function opens (every
   * subtask of a job sets the same value); the keyframe source may put images before that, under
   * the default budget.
   */
  public static ImageCache shared() {
    return SHARED;
  }

  /** Keeps {@code jpeg} for {@code f}; the caller hands the array over (it is not copied). */
  public synchronized void put(FrameRef f, byte[] jpeg) {
    if (jpeg.length > maxBytes) {
      return; // would evict everything else and still not fit
    }
    Entry old = entries.put(key(f), new Entry(f.cameraId(), f.captureMicros(), f.sequence(), jpeg));
    bytes += jpeg.length - (old == null ? 0 : old.jpeg.length);
    evict();
  }

  /** The image of {@code f}, or null when not cached (or cached for another frame). */
  public synchronized byte[] get(FrameRef f) {
    Key k = key(f);
    Entry e = entries.get(k);
    if (e == null) {
      return null;
    }
    if (!e.cameraId.equals(f.cameraId())
        || e.captureMicros != f.captureMicros()
        || e.sequence != f.sequence()) {
      entries.remove(k);
      bytes -= e.jpeg.length;
      return null;
    }
    return e.jpeg;
  }

  public synchronized void resize(long maxBytes) {
    this.maxBytes = maxBytes;
    evict();
  }

  public synchronized void clear() {
    entries.clear();
    bytes = 0;
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return entries.size();
  }

  private void evict() {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().jpeg.length;
      it.remove();
    }
  }

  private static Key key(FrameRef f) {
    return new Key(f.topic(), f.partition(), f.offset());
  }
}
