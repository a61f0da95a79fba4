package io.streamsight.vlm.generation;

import io.streamsight.vlm.preprocess.ProcessedImage;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Preprocessed images and their per-tile vision features kept across runs, least recently used
 * first out, bounded in bytes (pixel tiles plus features).
 *
 * <p>Why: early firing scores a window's frames one keyframe at a time, each in a different batch,
 * so without this every earlier frame of the window was decoded, preprocessed and vision-encoded
 * again on every score (~K(K+1)/2 + K encodings per window instead of K).
 *
 * <p>Keys are the image array's identity (and the tile budget), never its contents: the operator's
 * image cache hands out the same array for the same keyframe, a new array is a new entry, and
 * hashing megabytes of JPEG per request would cost more than it saves. Features are found by the
 * identity of the cached image's tile arrays, so a tile of an evicted (or never cached) image is
 * simply encoded again.
 *
 * <p>Methods are synchronized: the operator drives an engine from one inference thread (its
 * inference service's dispatcher), so the lock is uncontended there and merely keeps other callers
 * correct.
 */
public final class ImageFeatureCache {
  /** An image array, by identity (records compare array components by identity), and its budget. */
  public record Key(byte[] bytes, int maxTiles) {}

  private static final class Entry {
    ProcessedImage image;
    final float[][] features;
    long bytes;

    Entry(ProcessedImage image) {
      this.image = image;
      this.features = new float[image.tiles().length][];
      for (float[] t : image.tiles()) {
        bytes += 4L * t.length;
      }
    }
  }

  private record Slot(Entry entry, int index) {}

  private final long maxBytes;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<float[], Slot> tiles = new IdentityHashMap<>();
  private long bytes;

  /**
   * @param maxBytes bound on the pixel tiles and features held; 0 keeps nothing
   */
  public ImageFeatureCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("feature cache bytes must be >= 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * The image preprocessed earlier for this array and budget, or null. The features of its tiles
   * encoded so far go into {@code known} (tile identity to features) now, so the run that uses the
   * image has them even if the entry is evicted before its batch reaches the vision encoder. Once
   * all tiles are encoded the pixels are dropped: the tiles are then empty placeholders, whose
   * features are always in {@code known}.
   */
  public synchronized ProcessedImage image(Key key, Map<float[], float[]> known) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    float[][] tiles = e.image.tiles();
    for (int i = 0; i < tiles.length; i++) {
      if (e.features[i] != null) {
        known.put(tiles[i], e.features[i]);
      }
    }
    return e.image;
  }

  public synchronized void putImage(Key key, ProcessedImage image) {
    if (maxBytes == 0 || entries.containsKey(key)) {
      return;
    }
    Entry e = new Entry(image);
    entries.put(key, e);
    for (int i = 0; i < image.tiles().length; i++) {
      tiles.put(image.tiles()[i], new Slot(e, i));
    }
    bytes += e.bytes;
    trim();
  }

  /** The vision features of a tile of a cached image, or null if not encoded or not cached. */
  public synchronized float[] features(float[] tile) {
    Slot s = tiles.get(tile);
    return s == null ? null : s.entry().features[s.index()];
  }

  /** Keeps a tile's features if the tile belongs to a cached image; otherwise does nothing. */
  public synchronized void putFeatures(float[] tile, float[] features) {
    Slot s = tiles.get(tile);
    if (s == null || s.entry().features[s.index()] != null) {
      return;
    }
    Entry e = s.entry();
    e.features[s.index()] = features;
    e.bytes += 4L * features.length;
    bytes += 4L * features.length;
    for (float[] f : e.features) {
      if (f == null) {
        trim();
        return;
      }
    }
    // Every tile encoded: the pixels (20 times the features for SmolVLM's 512-pixel tiles) are
    // no longer needed; empty placeholders keep the tile count and identities.
    float[][] placeholders = new float[e.features.length][];
    for (int i = 0; i < placeholders.length; i++) {
      float[] pixels = e.image.tiles()[i];
      tiles.remove(pixels);
      e.bytes -= 4L * pixels.length;
      bytes -= 4L * pixels.length;
      placeholders[i] = new float[0];
      tiles.put(placeholders[i], new Slot(e, i));
    }
    e.image = new ProcessedImage(e.image.layout(), placeholders, e.image.tileSize());
    trim();
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long bytes() {
    return bytes;
  }

  private void trim() {
    Iterator<Entry> it = entries.values().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Entry e = it.next();
      it.remove();
      for (float[] t : e.image.tiles()) {
        tiles.remove(t);
      }
      bytes -= e.bytes;
    }
  }
}
