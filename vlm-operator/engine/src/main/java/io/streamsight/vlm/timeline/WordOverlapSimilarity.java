package io.streamsight.vlm.timeline;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Jaccard overlap of the two texts' word sets (after {@link TextSimilarity#normalise}): needs no
 * model, so it is the reference in tests and the fallback where no embedding model can run. It
 * knows no synonyms ("car" vs "vehicle" = different), so it splits paraphrases that an embedding
 * model would merge; word order and repeats do not count ("red red" = "red").
 */
public final class WordOverlapSimilarity implements TextSimilarity {
  /** Half the distinct words shared. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  @Override
  public double similarity(String a, String b) {
    Set<String> wa = words(a);
    Set<String> wb = words(b);
    if (wa.isEmpty() && wb.isEmpty()) {
      return 1;
    }
    Set<String> common = new HashSet<>(wa);
    common.retainAll(wb);
    Set<String> all = new HashSet<>(wa);
    all.addAll(wb);
    return (double) common.size() / all.size();
  }

  private static Set<String> words(String text) {
    String n = TextSimilarity.normalise(text).replaceAll("[\\p{Punct}]", " ").strip();
    return n.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(n.split(" +")));
  }
}
