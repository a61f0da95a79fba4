package io.streamsight.archive.index;

import java.util.List;
import java.util.Objects;

/**
 * One archived window or event: a summary, or an alert event. Immutable.
 *
 * @param id stable across replays: {@code s:<camera>:<windowStart>} or {@code a:<alertId>}, so a
 *     record read twice replaces its document instead of doubling it; an alert event's STARTED,
 *     UPDATED and ENDED records share the event id, so each later record replaces the event's one
 *     document with what is known by then
 * @param text the summary text, or the alert's question followed by its summary once it has one
 * @param event for an alert, where its event stands ({@code ENDED fence on cam-1 after 31.5s, peak
 *     0.93 (CLEARED)}); null for summaries
 * @param alertId null for summaries
 * @param ruleId null for summaries
 * @param severity null for summaries
 * @param thumbnails ids in the thumbnail store (representative keyframe, or the alert's evidence)
 * @param thumbnailBytes their size on disk, so the disk budget can count what deleting this frees
 * @param source where the record came from: {@code topic/partition/offset}
 */
public record ArchiveDoc(
    String id,
    Kind kind,
    String cameraId,
    long windowStartMicros,
    long windowEndMicros,
    String text,
    String alertId,
    String ruleId,
    String severity,
    List<String> thumbnails,
    long thumbnailBytes,
    String source,
    String event) {

  /** A document without event state (summaries, and callers from before alert events). */
  public ArchiveDoc(
      String id,
      Kind kind,
      String cameraId,
      long windowStartMicros,
      long windowEndMicros,
      String text,
      String alertId,
      String ruleId,
      String severity,
      List<String> thumbnails,
      long thumbnailBytes,
      String source) {
    this(
        id,
        kind,
        cameraId,
        windowStartMicros,
        windowEndMicros,
        text,
        alertId,
        ruleId,
        severity,
        thumbnails,
        thumbnailBytes,
        source,
        null);
  }

  /** What kind of record a document came from. */
  public enum Kind {
    SUMMARY,
    ALERT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code summary} or {@code alert}; anything else names the accepted values. */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.label().equalsIgnoreCase(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException("kind '" + s + "' is not one of summary, alert");
    }
  }

  public ArchiveDoc {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(text, "text");
    thumbnails = List.copyOf(thumbnails);
  }

  public static String summaryId(String cameraId, long windowStartMicros) {
    return "s:" + cameraId + ":" + windowStartMicros;
  }

  public static String alertDocId(String alertId) {
    return "a:" + alertId;
  }

  public ArchiveDoc withThumbnails(List<String> ids, long bytes) {
    return new ArchiveDoc(
        id,
        kind,
        cameraId,
        windowStartMicros,
        windowEndMicros,
        text,
        alertId,
        ruleId,
        severity,
        ids,
        bytes,
        source,
        event);
  }
}
