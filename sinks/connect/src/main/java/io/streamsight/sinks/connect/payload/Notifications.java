package io.streamsight.sinks.connect.payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns the raw Kafka values a sink task receives (the worker hands them over untouched through
 * {@code ByteArrayConverter}) into {@link Notification}s. The record JSON is exactly what {@code
 * tail --json} prints ({@link AvroJson}), so a subscriber sees the same shape as a terminal user.
 */
public final class Notifications {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AvroCodec<Alert> ALERTS = AvroCodec.of(Alert.class);
  private static final AvroCodec<Summary> SUMMARIES = AvroCodec.of(Summary.class);

  private final String snapshotUrlTemplate;

  /**
   * @param snapshotUrlTemplate a URL with {@code {topic}}, {@code {partition}}, {@code {offset}}
   *     placeholders filled from the alert's first evidence keyframe, or empty for none
   */
  public Notifications(String snapshotUrlTemplate) {
    this.snapshotUrlTemplate = snapshotUrlTemplate == null ? "" : snapshotUrlTemplate;
  }

  /**
   * Decodes one record of {@code vlm.alerts} or {@code vlm.summaries}.
   *
   * @throws DataException naming topic, partition, offset and the problem (undecodable, another
   *     topic); Connect routes it to the subscription's dead-letter queue
   */
  public Notification decode(SinkRecord r) {
    Object value = r.value();
    String where = r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset();
    if (value == null) {
      throw new DataException("Record " + where + " has no value (a tombstone?)");
    }
    byte[] bytes;
    if (value instanceof byte[] b) {
      bytes = b;
    } else if (value instanceof ByteBuffer bb) {
      bytes = new byte[bb.remaining()];
      bb.duplicate().get(bytes);
    } else {
      throw new DataException(
          "Record "
              + where
              + " has a "
              + value.getClass().getSimpleName()
              + " value; the connector needs value.converter=ByteArrayConverter");
    }
    try {
      if (r.topic().equals(Topics.ALERTS.name())) {
        return alert(ALERTS.decode(r.topic(), r.kafkaPartition(), r.kafkaOffset(), bytes));
      }
      if (r.topic().equals(Topics.SUMMARIES.name())) {
        return summary(SUMMARIES.decode(r.topic(), r.kafkaPartition(), r.kafkaOffset(), bytes));
      }
    } catch (RuntimeException e) {
      throw new DataException("Cannot decode record " + where + ": " + e.getMessage(), e);
    }
    throw new DataException(
        "Record "
            + where
            + " is from topic '"
            + r.topic()
            + "'; subscriptions deliver "
            + Topics.ALERTS.name()
            + " and "
            + Topics.SUMMARIES.name());
  }

  /**
   * An alert event record: Standard Webhooks {@code type} {@code alert.started}, {@code
   * alert.updated} or {@code alert.ended} ({@link #eventType}), {@code eventId} the event's id (the
   * same for its three kinds of record), {@code id} this record's own ({@link #recordId}: what
   * receivers dedupe on, the same on every retry).
   */
  public Notification alert(Alert a) {
    String type = eventType(a);
    String id = recordId(a);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", type);
    body.put("id", id);
    body.put("eventId", a.getAlertId());
    body.set("alert", AvroJson.toJson(a));
    String snapshot = snapshotUrl(a);
    if (snapshot != null) {
      body.put("snapshotUrl", snapshot);
    }
    return new Notification(type, id, a.getCameraId(), bytes(body), a, null);
  }

  /** {@code alert.started}, {@code alert.updated} or {@code alert.ended}. */
  public static String eventType(Alert a) {
    return "alert." + AlertEvents.phaseOf(a).name().toLowerCase(Locale.ROOT);
  }

  /**
   * The id of one record of an event: the event id for STARTED (so a receiver that deduped on the
   * alert id before events still gets each event once), {@code <eventId>:ended} for ENDED, {@code
   * <eventId>:updated:<8 hex digits of its summary's hash>} for an UPDATED (an event may have
   * several). Deterministic, so a repeated record (alerts are at-least-once) keeps its id.
   */
  public static String recordId(Alert a) {
    return switch (AlertEvents.phaseOf(a)) {
      case STARTED -> a.getAlertId();
      case ENDED -> a.getAlertId() + ":ended";
      case UPDATED -> a.getAlertId() + ":updated:" + shortHash(a.getSummaryText());
    };
  }

  /**
   * The MQTT payload of an alert record, in the style of Frigate's reviews: {@code type} {@code
   * new}, {@code update} or {@code end}, {@code id} the event id, {@code after} the record (the
   * event as it now is). Published retained on {@code <prefix>/<camera>/alert}, so a client that
   * connects later sees the camera's last event state.
   */
  public static byte[] review(Alert a) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put(
        "type",
        switch (AlertEvents.phaseOf(a)) {
          case STARTED -> "new";
          case UPDATED -> "update";
          case ENDED -> "end";
        });
    body.put("id", a.getAlertId());
    body.set("after", AvroJson.toJson(a));
    return bytes(body);
  }

  private static String shortHash(String text) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public Notification summary(Summary s) {
    String id = summaryId(s);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", "summary");
    body.put("id", id);
    body.set("summary", AvroJson.toJson(s));
    return new Notification("summary", id, s.getCameraId(), bytes(body), null, s);
  }

  /** The id of a summary: one per camera and window. */
  public static String summaryId(Summary s) {
    return s.getCameraId() + ":" + s.getWindowStartMicros();
  }

  private String snapshotUrl(Alert a) {
    if (snapshotUrlTemplate.isEmpty() || a.getEvidence().isEmpty()) {
      return null;
    }
    KeyframeRef ref = a.getEvidence().get(0);
    return snapshotUrlTemplate
        .replace("{topic}", ref.getTopic())
        .replace("{partition}", Integer.toString(ref.getPartition()))
        .replace("{offset}", Long.toString(ref.getOffset()))
        .replace("{camera}", a.getCameraId());
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot render a notification", e);
    }
  }
}
