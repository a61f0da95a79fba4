package io.streamsight.vlm.timeline;

import java.util.Collection;
import java.util.Locale;

/**
 * How alike two descriptions are in meaning: 1 = the same, lower = less alike. What counts as "the
 * same thing" is a threshold on this number chosen per implementation (each documents its own, as
 * its scale differs), given to {@link TimelineMerger}.
 */
public interface TextSimilarity {
  double similarity(String a, String b);

  /**
   * Says these texts will be compared soon, so an implementation that runs a model can process them
   * in one batch. Optional; the default does nothing.
   */
  default void prepare(Collection<String> texts) {}

  /**
   * The form in which two descriptions count as identical without asking a model: case, runs of
   * white space and trailing punctuation ignored ("A red car." = "a red car").
   */
  static String normalise(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return s.replaceAll("[\\p{Punct}\\s]+$", "");
  }
}
