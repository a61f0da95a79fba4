package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Rolling per-camera digests on {@code vlm.digests} (see {@code
 * io.streamsight.vlm.operator.digest.DigestFunction} and the README's "Digests").
 */
public record DigestConfig(
    @ConfigDoc(
            value =
                "Digest periods, each aligned to the epoch (UTC); every camera gets one digest per"
                    + " period that saw windows or alerts. An empty list turns digests off.",
            defaultValue = "[5m]")
        List<Duration> periods,
    @ConfigDoc(
            value =
                "How window texts are compared: `minilm` = by meaning (all-MiniLM-L6-v2 sentence"
                    + " embeddings, cosine >= 0.8; loaded once per TaskManager, about 90 MB),"
                    + " `words` = word overlap (Jaccard >= 0.5; no model, merges only near-verbatim"
                    + " repeats).",
            defaultValue = "minilm")
        Similarity similarity,
    @ConfigDoc(
            value =
                "A camera's period also closes when its keyframes' capture time passes the period"
                    + " end by this much, even without a later summary (a quiet camera). A summary"
                    + " or alert that arrives later still (inference this far behind) is in no"
                    + " digest (counted, logged).",
            defaultValue = "1m")
        Duration lateness,
    @ConfigDoc(
            value =
                "A stretch without summaries (windows without keyframes: nothing new) up to this"
                    + " long extends the event before it; a longer one ends it (the camera was"
                    + " away). Keep it above the sampler's maxGap.",
            defaultValue = "1m")
        Duration foldGapsUpTo,
    @ConfigDoc(
            value =
                "Ask the model for a short narrative of each digest (a text-only request). The"
                    + " colour fixture model answers `No`.",
            defaultValue = "false")
        boolean narrative,
    @ConfigDoc(value = "Narrative length cap, in tokens.", defaultValue = "96")
        int narrativeMaxTokens,
    @ConfigDoc(
            value =
                "Fallback for keyframe producers without progress records: after this much wall"
                    + " time without input from a camera, its digest time advances with the wall"
                    + " clock. A processing-time decision, so a replay may close periods"
                    + " differently.",
            unset = "off: keyframes and the sampler's progress records move digest time")
        Duration idleness)
    implements Serializable {

  /** How two window texts are compared. */
  public enum Similarity {
    MINILM,
    WORDS
  }

  public DigestConfig {
    if (periods == null) {
      throw ConfigException.invalid("periods", null, "a list of durations");
    }
    var seen = new HashSet<Duration>();
    for (int i = 0; i < periods.size(); i++) {
      Duration p = periods.get(i);
      String key = "periods[" + i + "]";
      if (p == null
          || p.compareTo(Duration.ofSeconds(1)) < 0
          || p.compareTo(Duration.ofDays(1)) > 0
          || p.toMillis() % 1000 != 0) {
        throw ConfigException.invalid(
            key, p == null ? null : Durations.format(p), "whole seconds from 1s to 24h");
      }
      if (!seen.add(p)) {
        throw ConfigException.invalid(key, Durations.format(p), "each period once");
      }
    }
    periods = List.copyOf(periods);
    if (similarity == null) {
      throw ConfigException.invalid("similarity", null, "minilm or words");
    }
    Checks.positive("lateness", lateness);
    Checks.positive("foldGapsUpTo", foldGapsUpTo);
    Checks.atLeast("narrativeMaxTokens", narrativeMaxTokens, 1);
    if (idleness != null) {
      Checks.positive("idleness", idleness);
    }
  }

  public boolean enabled() {
    return !periods.isEmpty();
  }

  public DigestConfig withPeriods(List<Duration> p) {
    return new DigestConfig(
        p, similarity, lateness, foldGapsUpTo, narrative, narrativeMaxTokens, idleness);
  }

  public DigestConfig withSimilarity(Similarity s) {
    return new DigestConfig(
        periods, s, lateness, foldGapsUpTo, narrative, narrativeMaxTokens, idleness);
  }

  public DigestConfig withNarrative(boolean n) {
    return new DigestConfig(
        periods, similarity, lateness, foldGapsUpTo, n, narrativeMaxTokens, idleness);
  }

  public DigestConfig withIdleness(Duration d) {
    return new DigestConfig(
        periods, similarity, lateness, foldGapsUpTo, narrative, narrativeMaxTokens, d);
  }

  public DigestConfig withLateness(Duration d) {
    return new DigestConfig(
        periods, similarity, d, foldGapsUpTo, narrative, narrativeMaxTokens, idleness);
  }
}
