package io.streamsight.vlm.timeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Cosine similarity of sentence embeddings, e.g. all-MiniLM-L6-v2 ({@code
 * io.streamsight.embeddings.MiniLmEmbedder::embed}, passed in as a function so the engine does not
 * carry the 90 MB model). Texts identical after {@link TextSimilarity#normalise} score 1 without a
 * model call; other vectors are computed in batches ({@link #prepare}) and kept in a bounded cache,
 * since a camera repeats its descriptions.
 *
 * <p><b>Threshold</b> {@value #DEFAULT_THRESHOLD}, measured with all-MiniLM-L6-v2 (see
 * docs/summarize.md): repeats and near repeats score above it ("red red red" / "red red" 0.985, "a
 * red square on a white background" / "... on a white wall" 0.85), while sentences that differ in
 * the one fact that matters often score 0.55 to 0.70 ("the image shows a blue background" / "... a
 * red background" 0.69, "red" / "green" 0.70). Loose paraphrases score as low (a person walking
 * across a parking lot / through a car park 0.68), so they stay separate lines: a timeline with one
 * line too many is better than one that hides a change.
 */
public final class EmbeddingSimilarity implements TextSimilarity {
  public static final double DEFAULT_THRESHOLD = 0.8;

  private static final int CACHE_ENTRIES = 4096;

  private final Function<List<String>, float[][]> embed;
  private final Map<String, float[]> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> e) {
          return size() > CACHE_ENTRIES;
        }
      };

  /**
   * @param embed one vector per text, in order (unit length or not: the cosine is computed)
   */
  public EmbeddingSimilarity(Function<List<String>, float[][]> embed) {
    this.embed = Objects.requireNonNull(embed, "embed");
  }

  @Override
  public synchronized void prepare(Collection<String> texts) {
    Set<String> missing = new LinkedHashSet<>();
    for (String t : texts) {
      String n = TextSimilarity.normalise(t);
      if (!cache.containsKey(n)) {
        missing.add(n);
      }
    }
    embedMissing(missing);
  }

  @Override
  public synchronized double similarity(String a, String b) {
    String na = TextSimilarity.normalise(a);
    String nb = TextSimilarity.normalise(b);
    if (na.equals(nb)) {
      return 1;
    }
    float[] va = cache.get(na);
    float[] vb = cache.get(nb);
    if (va == null || vb == null) {
      // Held in locals: putting one may evict the other from the cache.
      Set<String> missing = new LinkedHashSet<>();
      if (va == null) {
        missing.add(na);
      }
      if (vb == null) {
        missing.add(nb);
      }
      Map<String, float[]> fresh = embedMissing(missing);
      va = va != null ? va : fresh.get(na);
      vb = vb != null ? vb : fresh.get(nb);
    }
    return cosine(va, vb);
  }

  private Map<String, float[]> embedMissing(Set<String> texts) {
    if (texts.isEmpty()) {
      return Map.of();
    }
    List<String> batch = new ArrayList<>(texts);
    float[][] v = embed.apply(batch);
    if (v.length != batch.size()) {
      throw new IllegalStateException(
          "embedding function returned " + v.length + " vectors for " + batch.size() + " texts");
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < v.length; i++) {
      out.put(batch.get(i), v[i]);
      cache.put(batch.get(i), v[i]);
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa * bb);
  }
}
