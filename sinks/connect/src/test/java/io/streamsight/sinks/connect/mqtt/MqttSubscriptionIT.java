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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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

  @Test
  void alertsWhoseEvidenceKeyframesAreMissingAllArriveWithoutWaitingForSnapshots(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    assumeTrue(Mosquitto.path() != null, Mosquitto.PACKAGE_HINT);
    Alerts.createTopics(broker);
    // At 5 s per missing keyframe (the old per-record wait) 200 took ~17 minutes.
    int n = Integer.getInteger("streamsight.it.missingEvidenceAlerts", 200);
    try (Mosquitto mqtt = Mosquitto.start(dir);
        ConnectWorker worker =
            ConnectWorker.start(
                WorkerSettings.of(broker.bootstrapServers(), dir.resolve("secrets"))
                    .withListener("127.0.0.1", 0)
                    .withGroup("it-mqtt-" + UUID.randomUUID()))) {
      List<Message> live = new CopyOnWriteArrayList<>();
      MqttClient watcher = subscriber(mqtt, "watcher-missing", live);
      try (KafkaProducer<String, Alert> ap = Alerts.producer(broker, Topics.ALERTS)) {
        for (int i = 0; i < n; i++) {
          KeyframeRef gone =
              KeyframeRef.newBuilder()
                  .setTopic(Topics.KEYFRAMES.name())
                  .setPartition(0)
                  .setOffset(10_000_000L + i) // past the end: retention, a replay, a hand-made ref
                  .setCaptureTimeMicros(Alerts.BASE_MICROS)
                  .build();
          ap.send(
              new ProducerRecord<>(
                  Topics.ALERTS.name(),
                  "gone-cam",
                  Alerts.alert("gone-cam", i, Severity.HIGH, gone)));
        }
        ap.flush();
      }
      SubscriptionsClient client =
          new SubscriptionsClient(worker.restUrl(), dir.resolve("secrets"));
      client.add(mqttSubscription("mq-gone", mqtt, "gone-*"), "");
      long added = System.nanoTime();

      Await.until(
          n + " alerts on streamsight/alerts",
          Duration.ofSeconds(90),
          () -> count(live, "streamsight/alerts") >= n);
      System.out.printf(
          "MQTT: %d alerts with missing evidence delivered %.1f s after the subscription was"
              + " added%n",
          n, (System.nanoTime() - added) / 1e9);
      assertEquals(n, count(live, "streamsight/alerts"));
      assertEquals(0, count(live, "streamsight/gone-cam/snapshot"));
      var status = client.status("mq-gone").orElseThrow();
      assertTrue(
          status.stats().lastError().contains("is not in the log"), status.stats().lastError());
      watcher.disconnect();
      watcher.close();
    }
  }

  @Test
  void aCameraIdThatCannotBeATopicIsDeadLetteredAndTheTaskGoesOn(
      KafkaBroker broker, @TempDir Path dir) throws Exception {
    assumeTrue(Mosquitto.path() != null, Mosquitto.PACKAGE_HINT);
    Alerts.createTopics(broker);
    List<String> bad = List.of("bad#x", "bad+x", "bad\u0000x", "bad" + "x".repeat(70_000));
    try (Mosquitto mqtt = Mosquitto.start(dir);
        ConnectWorker worker =
            ConnectWorker.start(
                WorkerSettings.of(broker.bootstrapServers(), dir.resolve("secrets"))
                    .withListener("127.0.0.1", 0)
                    .withGroup("it-mqtt-" + UUID.randomUUID()))) {
      List<Message> live = new CopyOnWriteArrayList<>();
      MqttClient watcher = subscriber(mqtt, "watcher-bad", live);
      try (KafkaProducer<String, Alert> ap = Alerts.producer(broker, Topics.ALERTS)) {
        // All on one partition (same key), bad ones first: the good one behind them must arrive.
        for (int i = 0; i < bad.size(); i++) {
          Alert a = Alerts.alert(bad.get(i), i, Severity.HIGH);
          a.setAlertId("bad-alert-" + i); // a good id: only the camera id is at fault
          ap.send(new ProducerRecord<>(Topics.ALERTS.name(), 0, "bad-k", a));
        }
        ap.send(
            new ProducerRecord<>(
                Topics.ALERTS.name(), 0, "bad-k", Alerts.alert("bad-ok", 0, Severity.HIGH)));
        ap.flush();
      }
      SubscriptionsClient client =
          new SubscriptionsClient(worker.restUrl(), dir.resolve("secrets"));
      client.add(mqttSubscription("mq-bad", mqtt, "bad*"), "");

      Await.until(
          "the good alert behind the bad ones",
          Duration.ofSeconds(60),
          () -> count(live, "streamsight/bad-ok/alert") == 1);
      List<String> reasons = deadLetterReasons(broker, Subscription.deadLetterTopic("mq-bad"), 4);
      assertEquals(4, reasons.size(), reasons.toString());
      for (String r : reasons) {
        assertTrue(r.contains("cameraId: "), r);
      }
      var status = client.status("mq-bad").orElseThrow();
      assertEquals("RUNNING", status.state());
      assertEquals("RUNNING", status.taskStates());
      assertEquals(4, status.stats().deadLettered());
      watcher.disconnect();
      watcher.close();
    }
  }

  private static Subscription mqttSubscription(String id, Mosquitto mqtt, String glob) {
    return new Subscription(
        id,
        Subscription.Kind.MQTT,
        mqtt.uri(),
        glob,
        Severity.LOW,
        List.of(Topics.ALERTS.name()),
        false,
        "",
        Map.of());
  }

  private static long count(List<Message> got, String topic) {
    return got.stream().filter(m -> m.topic().equals(topic)).count();
  }

  /** The {@code __connect.errors.exception.message} headers of the first {@code n} dead letters. */
  private static List<String> deadLetterReasons(KafkaBroker broker, String topic, int n)
      throws InterruptedException {
    List<String> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < n && System.nanoTime() < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          Header h = r.headers().lastHeader("__connect.errors.exception.message");
          out.add(h == null ? "(no reason header)" : new String(h.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
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
