package io.streamsight.sinks.connect.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
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
    assertEquals("alert", body.get("type").asText());
    assertEquals(a.getAlertId(), body.get("id").asText());
    assertEquals(AvroJson.toJsonLine(a), MAPPER.writeValueAsString(body.get("alert")));
    assertEquals(
        "https://console.example/kf/cameras.keyframes/1/9", body.get("snapshotUrl").asText());
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
