package io.streamsight.sinks.connect.payload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import java.nio.ByteBuffer;
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

  public Notification alert(Alert a) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", "alert");
    body.put("id", a.getAlertId());
    body.set("alert", AvroJson.toJson(a));
    String snapshot = snapshotUrl(a);
    if (snapshot != null) {
      body.put("snapshotUrl", snapshot);
    }
    return new Notification("alert", a.getAlertId(), a.getCameraId(), bytes(body), a, null);
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
