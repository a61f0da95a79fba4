package io.streamsight.archive.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** How search results are printed: one JSON object per hit, or a table for people. */
public final class HitFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TEXT_COLUMN = 70;

  private HitFormat() {}

  /**
   * One line of JSON: kind, cameraId, windowStartMicros, windowEndMicros, text, score, id, the
   * alert's alertId / ruleId / severity / event (its phase, duration and peak), and the thumbnails
   * (thumbnailId = the first).
   */
  public static String json(Hit h) {
    ArchiveDoc d = h.doc();
    ObjectNode o = JSON.createObjectNode();
    o.put("id", d.id());
    o.put("kind", d.kind().label());
    o.put("cameraId", d.cameraId());
    o.put("windowStartMicros", d.windowStartMicros());
    o.put("windowEndMicros", d.windowEndMicros());
    o.put("text", d.text());
    o.put("score", h.score());
    if (d.kind() == Kind.ALERT) {
      o.put("alertId", d.alertId());
      o.put("ruleId", d.ruleId());
      o.put("severity", d.severity());
      o.put("event", d.event());
    }
    if (d.thumbnails().isEmpty()) {
      o.putNull("thumbnailId");
    } else {
      o.put("thumbnailId", d.thumbnails().get(0));
    }
    ArrayNode all = o.putArray("thumbnailIds");
    d.thumbnails().forEach(all::add);
    o.put("textRank", h.textRank());
    o.put("vectorRank", h.vectorRank());
    return o.toString();
  }

  /** A fixed-width table, best first; window start in UTC. */
  public static String table(List<Hit> hits) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%-3s %-20s %-16s %-7s %-6s %-" + TEXT_COLUMN + "s %s%n",
            "#",
            "window start (UTC)",
            "camera",
            "kind",
            "score",
            "text",
            "id"));
    int i = 1;
    for (Hit h : hits) {
      ArchiveDoc d = h.doc();
      String text = d.text().replaceAll("\\s+", " ");
      if (text.length() > TEXT_COLUMN) {
        text = text.substring(0, TEXT_COLUMN - 3) + "...";
      }
      sb.append(
          String.format(
              "%-3d %-20s %-16s %-7s %-6.3f %-" + TEXT_COLUMN + "s %s%n",
              i++,
              time(d.windowStartMicros()),
              d.cameraId(),
              d.kind().label(),
              h.score(),
              text,
              d.id()));
    }
    if (hits.isEmpty()) {
      sb.append("(no matching windows)\n");
    }
    return sb.toString();
  }

  static String time(long micros) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.EPOCH.plus(micros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS));
  }
}
