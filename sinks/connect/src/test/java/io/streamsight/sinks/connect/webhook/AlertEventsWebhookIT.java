package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.net.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert event through a real Connect worker to a real receiver that checks the Standard Webhooks
 * signatures itself: {@code alert.started}, {@code alert.updated}, {@code alert.ended} in order,
 * each once by its own {@code webhook-id} (a repeated record, as at-least-once alerts may be, is
 * the same message), all naming the same event.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class AlertEventsWebhookIT {
  @Test
  void deliversAnEventsStartedUpdatedAndEndedInOrderWithValidSignatures(
      io.streamsight.embedded.kafka.KafkaBroker broker, @TempDir Path secrets) throws Exception {
    Alerts.createTopics(broker);
    String secret = WebhookSecret.generate();
    try (ConnectWorker worker =
            ConnectWorker.start(
                WorkerSettings.of(broker.bootstrapServers(), secrets)
                    .withListener("127.0.0.1", 0)
                    .withGroup("it-events-" + UUID.randomUUID()));
        WebhookReceiver receiver = WebhookReceiver.answering(secret, b -> 200);
        KafkaProducer<String, Alert> producer = Alerts.producer(broker, Topics.ALERTS)) {
      SubscriptionsClient client = new SubscriptionsClient(worker.restUrl(), secrets);
      client.add(
          new Subscription(
              "events",
              Subscription.Kind.WEBHOOK,
              receiver.url(),
              "evt-*",
              Severity.LOW,
              List.of(Topics.ALERTS.name()),
              true,
              "",
              Map.of()),
          secret);
      List<Alert> records =
          List.of(
              Alerts.event("evt-gate", 7, AlertPhase.STARTED, null),
              Alerts.event("evt-gate", 7, AlertPhase.UPDATED, "a person climbs the gate"),
              Alerts.event("evt-gate", 7, AlertPhase.UPDATED, "a person climbs the gate"), // again
              Alerts.event("evt-gate", 7, AlertPhase.ENDED, "a person climbs the gate"));
      for (Alert a : records) {
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), a.getCameraId(), a));
      }
      producer.flush();

      List<WebhookReceiver.Received> got =
          Await.until(
              "four deliveries",
              Duration.ofSeconds(90),
              receiver::delivered,
              d -> d.size() >= records.size());
      assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid), got.toString());
      assertEquals(
          List.of("alert.started", "alert.updated", "alert.updated", "alert.ended"),
          got.stream().map(r -> r.body().get("type").asText()).toList(),
          "in order");
      Set<String> ids = new HashSet<>();
      got.forEach(r -> ids.add(r.id()));
      assertEquals(3, ids.size(), "the repeated UPDATED has the id of the first: " + ids);
      String eventId = records.get(0).getAlertId();
      for (WebhookReceiver.Received r : got) {
        assertEquals(eventId, r.body().get("eventId").asText());
        assertEquals(r.id(), r.body().get("id").asText(), "webhook-id is the body's id");
      }
      WebhookReceiver.Received ended = got.get(3);
      assertEquals("CLEARED", ended.body().get("alert").get("endReason").asText());
      assertEquals(0.93, ended.body().get("alert").get("peakPYes").asDouble());
      client.remove("events");
    }
  }
}
