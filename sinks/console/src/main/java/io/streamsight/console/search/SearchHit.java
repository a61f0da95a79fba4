package io.streamsight.console.search;

import io.streamsight.schemas.avro.KeyframeRef;
import java.util.List;

/**
 * One search result: an archived summary or alert window.
 *
 * @param kind {@code summary} or {@code alert}
 * @param text the summary text, or the alert's question
 * @param score the backend's relevance score (higher is better; only comparable within one search)
 * @param keyframes the window's keyframes, for thumbnails ({@code /api/keyframes/...})
 * @param thumbnails ids of images the backend keeps itself (the archive's thumbnails outlive the
 *     keyframes topic's retention), served by {@link SearchBackend#thumbnail} at {@code
 *     /api/thumbnails/{id}}
 */
public record SearchHit(
    String kind,
    String cameraId,
    long windowStartMicros,
    long windowEndMicros,
    String text,
    double score,
    List<KeyframeRef> keyframes,
    List<String> thumbnails) {
  public SearchHit {
    keyframes = List.copyOf(keyframes);
    thumbnails = List.copyOf(thumbnails);
  }

  /** A hit whose images are keyframes only. */
  public SearchHit(
      String kind,
      String cameraId,
      long windowStartMicros,
      long windowEndMicros,
      String text,
      double score,
      List<KeyframeRef> keyframes) {
    this(kind, cameraId, windowStartMicros, windowEndMicros, text, score, keyframes, List.of());
  }
}
