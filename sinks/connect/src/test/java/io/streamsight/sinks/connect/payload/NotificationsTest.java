package io.streamsight.sinks.connect.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import java.util.List;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class NotificationsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static SinkRecord record(String topic, byte[] value) {
    return new SinkRecord(topic, 2, null, "k", null, value, 41);
  }

  @Test
  void anAlertBodyIsTheTailJsonShapeWithItsId() throws Exception {
    KeyframeRef ref =
        KeyframeRef.newBuilder()
            .setTopic("cameras.keyframes")
            .setPartition(1)
            .setOffset(9)
            .setCaptureTimeMicros(0)
            .build();
    Alert a = Alerts.alert("door", 3, Severity.HIGH, ref);
    Notification n =
        new Notifications("https://console.example/kf/{topic}/{partition}/{offset}")
            .decode(
                record(
                    Topics.ALERTS.name(),
                    Topics.ALERTS.valueSerde().serializer().serialize("t", a)));
    JsonNode body = MAPPER.readTree(n.body());
    assertEquals("alert.started", body.get("type").asText(), "no phase: a one-window event");
    assertEquals(a.getAlertId(), body.get("id").asText());
    assertEquals(a.getAlertId(), body.get("eventId").asText());
    assertEquals(AvroJson.toJsonLine(a), MAPPER.writeValueAsString(body.get("alert")));
    assertEquals(
        "https://console.example/kf/cameras.keyframes/1/9", body.get("snapshotUrl").asText());
  }

  @Test
  void anEventsRecordsHaveTheirOwnTypesAndIdsAndShareTheEventId() throws Exception {
    List<Alert> records =
        List.of(
            Alerts.event("door", 1, AlertPhase.STARTED, null),
            Alerts.event("door", 1, AlertPhase.UPDATED, "a person climbs the fence"),
            Alerts.event("door", 1, AlertPhase.UPDATED, "a person on top of the fence"),
            Alerts.event("door", 1, AlertPhase.ENDED, "a person on top of the fence"));
    List<Notification> ns = records.stream().map(new Notifications("")::alert).toList();
    assertEquals(
        List.of("alert.started", "alert.updated", "alert.updated", "alert.ended"),
        ns.stream().map(Notification::type).toList());
    assertEquals(4, ns.stream().map(Notification::id).distinct().count(), "one id per record");
    assertEquals(records.get(0).getAlertId(), ns.get(0).id());
    assertEquals(ns.get(1).id(), new Notifications("").alert(records.get(1)).id(), "stable");
    for (Notification n : ns) {
      JsonNode body = MAPPER.readTree(n.body());
      assertEquals(n.type(), body.get("type").asText());
      assertEquals(records.get(0).getAlertId(), body.get("eventId").asText());
    }
    List<String> reviews = new java.util.ArrayList<>();
    for (Alert a : records) {
      JsonNode r = MAPPER.readTree(Notifications.review(a));
      reviews.add(r.get("type").asText());
      assertEquals(a.getAlertId(), r.get("id").asText());
      assertEquals(AvroJson.toJsonLine(a), MAPPER.writeValueAsString(r.get("after")));
    }
    assertEquals(List.of("new", "update", "update", "end"), reviews, "Frigate's review types");
  }

  @Test
  void aSummaryIsIdentifiedByCameraAndWindowStart() throws Exception {
    var s = Alerts.summary("yard", 0, "quiet");
    Notification n =
        new Notifications("")
            .decode(
                record(
                    Topics.SUMMARIES.name(),
                    Topics.SUMMARIES.valueSerde().serializer().serialize("t", s)));
    JsonNode body = MAPPER.readTree(n.body());
    assertEquals("yard:" + Alerts.BASE_MICROS, body.get("id").asText());
    assertEquals("quiet", body.get("summary").get("text").asText());
    assertFalse(body.has("snapshotUrl"));
  }

  @Test
  void garbageIsADataExceptionNamingWhere() {
    DataException e =
        assertThrows(
            DataException.class,
            () -> new Notifications("").decode(record(Topics.ALERTS.name(), new byte[] {1, 2, 3})));
    assertTrue(e.getMessage().contains("vlm.alerts-2@41"), e.getMessage());
  }

  @Test
  void filtersByCameraGlobAndSeverity() {
    SubscriptionFilter f = new SubscriptionFilter("door-?", Severity.HIGH);
    Notifications ns = new Notifications("");
    assertTrue(f.accepts(ns.alert(Alerts.alert("door-1", 0, Severity.CRITICAL))));
    assertFalse(f.accepts(ns.alert(Alerts.alert("door-1", 0, Severity.MEDIUM))));
    assertFalse(f.accepts(ns.alert(Alerts.alert("door-12", 0, Severity.HIGH))));
    assertTrue(f.accepts(ns.summary(Alerts.summary("door-2", 0, "x"))));
  }
}
