package io.streamsight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /api/alerts/{id}/feedback on a real broker: refused without the token (nothing written),
 * refused for a bad verdict or an unknown event, and with the token the verdict lands on
 * vlm.feedback keyed by the event id with the event's rule, camera and p(yes).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class ConsoleFeedbackIT {

  @Test
  void aVerdictNeedsTheTokenAndLandsOnTheFeedbackTopicKeyedByEvent(KafkaBroker broker)
      throws Exception {
    try (var console =
        new ConsoleFixture(
            broker, SearchBackend.NOT_CONFIGURED, SubscriptionsBackend.NOT_CONFIGURED)) {
      Alert a =
          ConsoleFixture.alert(
              "cam-fb", "fence", Severity.HIGH, ConsoleFixture.nowMicros(), List.of());
      console.publish(Topics.ALERTS, a);
      String path = "/api/alerts/" + a.getAlertId().replace("/", "%2F") + "/feedback";
      Await.until(
          "the console holding the alert",
          Duration.ofSeconds(30),
          () -> console.get("/api/alerts").body().contains("cam-fb"));

      assertEquals(401, console.send("POST", path, "{\"verdict\":\"FALSE\"}", null).statusCode());
      assertEquals(
          400,
          console.send("POST", path, "{\"verdict\":\"MAYBE\"}", console.tokenValue()).statusCode());
      assertEquals(
          404,
          console
              .send(
                  "POST",
                  "/api/alerts/nope/feedback",
                  "{\"verdict\":\"FALSE\"}",
                  console.tokenValue())
              .statusCode());
      var ok =
          console.send(
              "POST", path, "{\"verdict\":\"FALSE\",\"note\":\"a cat\"}", console.tokenValue());
      assertEquals(200, ok.statusCode(), ok.body());

      List<Feedback> written = readFeedback(broker.bootstrapServers());
      assertEquals(1, written.size(), "only the authorised verdict was written");
      Feedback f = written.get(0);
      assertEquals(a.getAlertId(), f.getEventId());
      assertEquals("fence", f.getRuleId());
      assertEquals("cam-fb", f.getCameraId());
      assertEquals(FeedbackVerdict.FALSE, f.getVerdict());
      assertEquals("a cat", f.getNote());
      assertEquals(0.93, f.getPYes());
      assertTrue(f.getCreatedMicros() > 0);
    }
  }

  private static List<Feedback> readFeedback(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    List<Feedback> out = new ArrayList<>();
    var codec = AvroCodec.of(Feedback.class);
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.FEEDBACK.name(), Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      var end = c.endOffsets(parts);
      Await.until(
          "vlm.feedback read to its end",
          Duration.ofSeconds(30),
          () -> {
            for (var r : c.poll(Duration.ofMillis(200))) {
              Feedback f = codec.decode(r.topic(), r.partition(), r.offset(), r.value());
              assertEquals(f.getEventId(), new String(r.key(), StandardCharsets.UTF_8));
              out.add(f);
            }
            return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
          });
    }
    return out;
  }
}
