package io.streamsight.sinks.connect.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.DeadLetters;
import io.streamsight.sinks.connect.status.DeliveryStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records that would throw inside a send (HTTP header, MQTT topic) are dead-lettered here, naming
 * the field, so they never fail a task (and fail it again after every restart).
 */
class AdmissionTest {
  private final DeliveryStats stats = DeliveryStats.register("admission-test");
  private final Admission admission =
      new Admission(new Notifications(""), SubscriptionFilter.ALL, stats);

  @AfterEach
  void unregister() {
    stats.unregister();
  }

  private static SinkRecord record(Alert a, long offset) {
    return new SinkRecord(
        Topics.ALERTS.name(),
        0,
        null,
        "k",
        null,
        Topics.ALERTS.valueSerde().serializer().serialize("t", a),
        offset);
  }

  private String deadLetterReason(Alert a) {
    List<DeadLetters.Entry> dead = new ArrayList<>();
    Optional<Notification> n = admission.admit(record(a, 7), dead);
    assertTrue(n.isEmpty(), "admitted " + a.getAlertId());
    assertEquals(1, dead.size());
    return dead.get(0).reason().getMessage();
  }

  @Test
  void alertIdsThatCannotBeAWebhookHeaderAreDeadLetteredNamingTheField() {
    for (String id : List.of("a\r\nX-Injected: 1", "caf\u00e9", "\u4e2d\u6587", "has space", "")) {
      Alert a = Alerts.alert("door", 0, Severity.HIGH);
      a.setAlertId(id);
      String why = deadLetterReason(a);
      assertTrue(why.startsWith("Cannot deliver record vlm.alerts-0@7: alertId: "), why);
    }
  }

  @Test
  void cameraIdsThatCannotBeAnMqttTopicLevelAreDeadLetteredNamingTheField() {
    for (String camera : List.of("a#b", "a+b", "a/b", "a\u0000b", "c".repeat(65 * 1024 + 1))) {
      Alert a = Alerts.alert("door", 0, Severity.HIGH);
      a.setCameraId(camera);
      String why = deadLetterReason(a);
      assertTrue(why.startsWith("Cannot deliver record vlm.alerts-0@7: cameraId: "), why);
      assertTrue(why.length() < 400, "the reason does not repeat a huge id");
    }
  }

  @Test
  void evidenceOutsideTheKeyframesTopicIsDeadLettered() {
    KeyframeRef elsewhere =
        KeyframeRef.newBuilder()
            .setTopic("__consumer_offsets")
            .setPartition(0)
            .setOffset(0)
            .setCaptureTimeMicros(0)
            .build();
    String why = deadLetterReason(Alerts.alert("door", 0, Severity.HIGH, elsewhere));
    assertTrue(
        why.contains("evidence[0].topic: '__consumer_offsets' is not cameras.keyframes"), why);
  }

  @Test
  void aGoodAlertIsAdmittedAndABadOneTheSubscriptionFiltersOutIsNotDeadLettered() {
    List<DeadLetters.Entry> dead = new ArrayList<>();
    assertTrue(
        admission.admit(record(Alerts.alert("door", 0, Severity.HIGH), 1), dead).isPresent());
    Admission doorOnly =
        new Admission(new Notifications(""), new SubscriptionFilter("door", Severity.LOW), stats);
    Alert other = Alerts.alert("door", 0, Severity.HIGH);
    other.setCameraId("yard#1");
    assertTrue(doorOnly.admit(record(other, 2), dead).isEmpty());
    assertTrue(dead.isEmpty());
  }
}
