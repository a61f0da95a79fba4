package io.streamsight.archive.search;

import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.schemas.validation.CameraGlob;

/**
 * One search. Filters are exact and applied inside both retrievers (never by trimming a top-k).
 *
 * @param text what to look for; null when {@code similarTo} is set
 * @param similarTo id of an archived summary or alert to find windows like (it is left out)
 * @param cameraGlob camera glob ({@code *} and {@code ?}), null for every camera
 * @param sinceMicros windows starting at or after this (epoch µs), null for no lower bound
 * @param untilMicros windows starting before this (epoch µs), null for no upper bound
 * @param kind only summaries or only alerts, null for both
 * @param mode which retrievers run (hybrid, or one alone for evaluation)
 */
public record SearchRequest(
    String text,
    String similarTo,
    String cameraGlob,
    Long sinceMicros,
    Long untilMicros,
    Kind kind,
    int limit,
    Mode mode) {
  public static final int MAX_LIMIT = 1000;

  /** Retrieval mode. */
  public enum Mode {
    HYBRID,
    TEXT,
    VECTOR
  }

  public SearchRequest {
    if ((text == null || text.isBlank()) == (similarTo == null)) {
      throw new IllegalArgumentException("give either search text or a similar-to id (not both)");
    }
    if (cameraGlob != null) {
      CameraGlob.check("camera", cameraGlob);
    }
    if (sinceMicros != null && untilMicros != null && sinceMicros >= untilMicros) {
      throw new IllegalArgumentException("since must be before until");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
    }
    if (mode == null) {
      mode = Mode.HYBRID;
    }
  }

  public static SearchRequest text(String text, int limit) {
    return new SearchRequest(text, null, null, null, null, null, limit, Mode.HYBRID);
  }

  public SearchRequest withMode(Mode m) {
    return new SearchRequest(text, similarTo, cameraGlob, sinceMicros, untilMicros, kind, limit, m);
  }

  public SearchRequest withCamera(String glob) {
    return new SearchRequest(text, similarTo, glob, sinceMicros, untilMicros, kind, limit, mode);
  }

  public SearchRequest withRange(Long since, Long until) {
    return new SearchRequest(text, similarTo, cameraGlob, since, until, kind, limit, mode);
  }

  public SearchRequest withKind(Kind k) {
    return new SearchRequest(text, similarTo, cameraGlob, sinceMicros, untilMicros, k, limit, mode);
  }
}
