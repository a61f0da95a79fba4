package io.streamsight.sinks.connect.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.records.FrameRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** MQTT subscriptions on a real mosquitto, through a real Connect worker. */
@ExtendWith(KafkaBrokerExtension.class)
class MqttSubscriptionIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Message(String topic, byte[] payload, boolean retained, int qos) {}

  @Test
  void alertsSummariesAndSnapshotsArriveOnTheirTopicsWithTheRightRetainedFlags(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    assumeTrue(Mosquitto.path() != null, Mosquitto.PACKAGE_HINT);
    Alerts.createTopics(broker);
    try (Mosquitto mqtt = Mosquitto.start(dir);
        ConnectWorker worker =
            ConnectWorker.start(
                WorkerSettings.of(broker.bootstrapServers(), dir.resolve("secrets"))
                    .withListener("127.0.0.1", 0)
                    .withGroup("it-mqtt-" + UUID.randomUUID()))) {
      List<Message> live = new CopyOnWriteArrayList<>();
      MqttClient watcher = subscriber(mqtt, "watcher", live);

      Frame f = FrameRecords.frame("mq-cam", 7, Alerts.BASE_MICROS).build();
      RecordMetadata at;
      try (KafkaProducer<String, Keyframe> kp = Alerts.producer(broker, Topics.KEYFRAMES)) {
        at =
            kp.send(
                    new ProducerRecord<>(
                        Topics.KEYFRAMES.name(), "mq-cam", FrameRecords.keyframe(f).build()))
                .get();
      }
      KeyframeRef ref =
          KeyframeRef.newBuilder()
              .setTopic(at.topic())
              .setPartition(at.partition())
              .setOffset(at.offset())
              .setCaptureTimeMicros(Alerts.BASE_MICROS)
              .build();
      Alert alert = Alerts.alert("mq-cam", 0, Severity.HIGH, ref);
      Summary summary = Alerts.summary("mq-cam", 0, "a person at the door");
      try (KafkaProducer<String, Alert> ap = Alerts.producer(broker, Topics.ALERTS);
          KafkaProducer<String, Summary> sp = Alerts.producer(broker, Topics.SUMMARIES)) {
        ap.send(new ProducerRecord<>(Topics.ALERTS.name(), "mq-cam", alert)).get();
        sp.send(new ProducerRecord<>(Topics.SUMMARIES.name(), "mq-cam", summary)).get();
      }

      new SubscriptionsClient(worker.restUrl(), dir.resolve("secrets"))
          .add(
              new Subscription(
                  "mq",
                  Subscription.Kind.MQTT,
                  mqtt.uri(),
                  "mq-*",
                  Severity.LOW,
                  List.of(Topics.ALERTS.name(), Topics.SUMMARIES.name()),
                  false,
                  "",
                  Map.of()),
              "");

      Await.until("four MQTT messages", Duration.ofSeconds(60), () -> live.size() >= 4);
      Message all = one(live, "streamsight/alerts");
      Message camAlert = one(live, "streamsight/mq-cam/alert");
      Message snapshot = one(live, "streamsight/mq-cam/snapshot");
      Message sum = one(live, "streamsight/mq-cam/summary");
      JsonNode body = MAPPER.readTree(all.payload());
      assertEquals("alert.started", body.get("type").asText());
      assertEquals(alert.getAlertId(), body.get("id").asText());
      JsonNode review = MAPPER.readTree(camAlert.payload());
      assertEquals("new", review.get("type").asText(), "Frigate-style review on the camera");
      assertEquals(alert.getAlertId(), review.get("id").asText());
      assertEquals(body.get("alert"), review.get("after"));
      assertEquals(1, all.qos());
      ByteBuffer jpeg = f.getJpeg().duplicate();
      byte[] expected = new byte[jpeg.remaining()];
      jpeg.get(expected);
      assertArrayEquals(expected, snapshot.payload());
      JsonNode s = MAPPER.readTree(sum.payload());
      assertEquals("summary", s.get("type").asText());
      assertEquals("mq-cam:" + Alerts.BASE_MICROS, s.get("id").asText());
      assertEquals("a person at the door", s.get("summary").get("text").asText());
      watcher.disconnect();
      watcher.close();

      // A client that comes later gets the retained ones (summary, snapshot, the camera's last
      // event state), not the stream of every alert record.
      List<Message> late = new CopyOnWriteArrayList<>();
      MqttClient latecomer = subscriber(mqtt, "latecomer", late);
      Await.until("the retained messages", Duration.ofSeconds(20), () -> late.size() >= 3);
      assertTrue(one(late, "streamsight/mq-cam/summary").retained());
      assertTrue(one(late, "streamsight/mq-cam/snapshot").retained());
      assertTrue(one(late, "streamsight/mq-cam/alert").retained());
      assertFalse(late.stream().anyMatch(m -> m.topic().endsWith("alerts")));
      latecomer.disconnect();
      latecomer.close();
    }
  }

  private static Message one(List<Message> got, String topic) {
    List<Message> m = got.stream().filter(x -> x.topic().equals(topic)).toList();
    assertEquals(1, m.size(), topic + " in " + got.stream().map(Message::topic).toList());
    return m.get(0);
  }

  private static MqttClient subscriber(Mosquitto mqtt, String id, List<Message> into)
      throws Exception {
    MqttClient c = new MqttClient(mqtt.uri(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    c.subscribe(
        "streamsight/#",
        1,
        (topic, m) -> into.add(new Message(topic, m.getPayload(), m.isRetained(), m.getQos())));
    return c;
  }
}
