package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionException;
import io.streamsight.sinks.connect.client.SubscriptionView;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.net.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook subscriptions end to end: a real distributed-mode Connect worker on the test broker, real
 * HTTP receivers that verify signatures independently, alerts produced to {@code vlm.alerts}. Each
 * test uses its own cameras and subscribes to those only, so tests sharing the topic do not see
 * each other's alerts.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSubscriptionIT {
  private static final Map<String, String> FAST_RETRIES =
      Map.of(WebhookConfig.BACKOFF_INITIAL_MS, "100", WebhookConfig.BACKOFF_MAX_MS, "2000");

  private final String secret = WebhookSecret.generate();
  private KafkaBroker broker;
  private ConnectWorker worker;
  private SubscriptionsClient client;
  private KafkaProducer<String, Alert> producer;

  @BeforeAll
  void startWorker(KafkaBroker broker, @TempDir Path secrets) throws Exception {
    this.broker = broker;
    Alerts.createTopics(broker);
    worker =
        ConnectWorker.start(
            WorkerSettings.of(broker.bootstrapServers(), secrets)
                .withListener("127.0.0.1", 0)
                .withGroup("it-connect-" + UUID.randomUUID()));
    client = new SubscriptionsClient(worker.restUrl(), secrets);
    producer = Alerts.producer(broker, Topics.ALERTS);
  }

  @AfterAll
  void stopWorker() {
    if (producer != null) {
      producer.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private Subscription webhook(
      String id, String url, String camera, Severity min, Map<String, String> extra) {
    return new Subscription(
        id,
        Subscription.Kind.WEBHOOK,
        url,
        camera,
        min,
        List.of(Topics.ALERTS.name()),
        true,
        "",
        extra);
  }

  private void send(Alert a) {
    producer.send(new ProducerRecord<>(Topics.ALERTS.name(), a.getCameraId(), a));
  }

  @Test
  void deliversEveryAlertInOrderAfterA30sOutageWhileAHungReceiverDelaysNobody() throws Exception {
    long outageEnds = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (WebhookReceiver flaky =
            WebhookReceiver.answering(secret, b -> System.nanoTime() < outageEnds ? 503 : 200);
        WebhookReceiver hung = WebhookReceiver.hanging(secret)) {
      Map<String, String> slowTimeout = new HashMap<>(FAST_RETRIES);
      slowTimeout.put(WebhookConfig.REQUEST_TIMEOUT_MS, "60000");
      client.add(webhook("load-hung", hung.url(), "load-*", Severity.LOW, slowTimeout), secret);
      client.add(webhook("load", flaky.url(), "load-*", Severity.LOW, FAST_RETRIES), secret);

      List<String> cameras = List.of("load-0", "load-1", "load-2", "load-3");
      Map<String, List<String>> sentPerCamera = new HashMap<>();
      Map<String, Alert> sent = new HashMap<>();
      for (int n = 0; n < 1000; n++) {
        String camera = cameras.get(n % cameras.size());
        Alert a = Alerts.alert(camera, n, Severity.values()[n % 4]);
        sentPerCamera.computeIfAbsent(camera, k -> new ArrayList<>()).add(a.getAlertId());
        sent.put(a.getAlertId(), a);
        send(a);
      }
      producer.flush();

      Await.until(
          "the hung receiver to get its first request",
          Duration.ofSeconds(60),
          () -> !hung.received().isEmpty());
      Await.until(
          "the flaky receiver to refuse a delivery",
          Duration.ofSeconds(60),
          () -> !flaky.received().isEmpty());
      List<WebhookReceiver.Received> delivered =
          Await.until(
              "all 1000 alerts delivered after the outage",
              Duration.ofSeconds(120),
              flaky::delivered,
              d -> d.stream().map(WebhookReceiver.Received::id).distinct().count() == 1000);
      long afterOutageMillis = (System.nanoTime() - outageEnds) / 1_000_000;

      assertTrue(flaky.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
      assertTrue(flaky.received().stream().anyMatch(r -> r.answered() == 503));
      // The same alert keeps its id on every attempt, and the body is the tail --json shape.
      WebhookReceiver.Received first = delivered.get(0);
      assertEquals("alert.started", first.body().get("type").asText());
      assertEquals(first.id(), first.body().get("id").asText());
      assertEquals(AvroJson.toJsonLine(sent.get(first.id())), first.body().get("alert").toString());

      Map<String, List<String>> deliveredPerCamera = new HashMap<>();
      Set<String> seen = new HashSet<>();
      for (WebhookReceiver.Received r : delivered) {
        if (seen.add(r.id())) {
          deliveredPerCamera.computeIfAbsent(r.camera(), k -> new ArrayList<>()).add(r.id());
        }
      }
      assertEquals(sentPerCamera, deliveredPerCamera, "order per camera");
      // The hung subscription holds its own task only: well under its 60 s request timeout.
      assertTrue(afterOutageMillis < 45_000, "caught up " + afterOutageMillis + " ms after");
      assertTrue(hung.delivered().isEmpty());

      // The task counts a delivery when the receiver's response is back, a moment after the
      // receiver recorded the request: wait for the count rather than read it once.
      SubscriptionView v =
          Await.until(
              "the status counting 1000 deliveries",
              Duration.ofSeconds(30),
              () -> client.status("load").orElseThrow(),
              s -> s.stats().delivered() >= 1000);
      assertEquals("RUNNING", v.state());
      assertEquals(1000, v.stats().delivered(), v.toString());
      assertTrue(v.stats().lastError().contains("HTTP 503"), v.stats().lastError());
      assertFalse(v.toString().contains(secret.substring(6)), "no secret in the status");
      hung.close(); // lets its pending request end, so the task stops at once
      client.remove("load-hung");
      client.remove("load");
    }
  }

  @Test
  void cameraAndSeverityFiltersDeliverExactlyTheMatchingAlerts() throws Exception {
    try (WebhookReceiver r = WebhookReceiver.answering(secret, b -> 200)) {
      client.add(webhook("filt", r.url(), "filt-door-?", Severity.HIGH, Map.of()), secret);
      Set<String> expected = new HashSet<>();
      int n = 0;
      for (String camera : List.of("filt-door-1", "filt-door-22", "filt-yard-1", "filt-door-2")) {
        for (Severity s : Severity.values()) {
          Alert a = Alerts.alert(camera, n++, s);
          send(a);
          if (!camera.equals("filt-door-22")
              && !camera.startsWith("filt-yard")
              && s.ordinal() >= Severity.HIGH.ordinal()) {
            expected.add(a.getAlertId());
          }
        }
      }
      producer.flush();
      awaitCaughtUp("filt");
      Set<String> got = new HashSet<>();
      r.delivered().forEach(x -> got.add(x.id()));
      assertEquals(expected, got);
      client.remove("filt");
    }
  }

  @Test
  void a400DeadLettersWithStatusAndBodyAndTheRestGoesOn() throws Exception {
    try (WebhookReceiver r =
        WebhookReceiver.answering(
            secret, b -> b.get("alert").get("alertId").asText().endsWith(":1") ? 400 : 200)) {
      client.add(webhook("dl", r.url(), "dl-*", Severity.LOW, FAST_RETRIES), secret);
      for (int n = 0; n < 3; n++) {
        send(Alerts.alert("dl-cam", n, Severity.HIGH));
      }
      producer.flush();
      Await.until(
          "alerts 0 and 2 delivered", Duration.ofSeconds(60), () -> r.delivered().size() == 2);
      ConsumerRecord<byte[], byte[]> dead = oneDeadLetter("dl");
      String why = header(dead, "__connect.errors.exception.message");
      assertTrue(why.contains("HTTP 400") && why.contains("rejected by the test receiver"), why);
      assertTrue(why.contains("rule-1:dl-cam:1"), why);
      Alert original = Topics.ALERTS.valueSerde().deserializer().deserialize("x", dead.value());
      assertEquals("rule-1:dl-cam:1", original.getAlertId());
      SubscriptionView v = client.status("dl").orElseThrow();
      assertEquals(1, v.stats().deadLettered());
      assertEquals(1, r.received().stream().filter(x -> x.answered() == 400).count(), "no retry");
      client.remove("dl");
    }
  }

  @Test
  void privateAddressesAreRefusedAtAddAndAgainAtDelivery() throws Exception {
    try (WebhookReceiver r = WebhookReceiver.answering(secret, b -> 200)) {
      Subscription guarded =
          new Subscription(
              "ssrf",
              Subscription.Kind.WEBHOOK,
              r.url(),
              "ssrf-*",
              Severity.LOW,
              List.of(Topics.ALERTS.name()),
              false,
              "",
              Map.of());
      SubscriptionException e =
          assertThrows(SubscriptionException.class, () -> client.add(guarded, secret));
      assertTrue(e.refused());
      assertTrue(e.getMessage().contains("loopback"), e.getMessage());
      for (String url :
          List.of(
              "http://169.254.169.254/latest/meta-data",
              "http://10.1.2.3/x",
              "ftp://example.com/")) {
        SubscriptionException e2 =
            assertThrows(
                SubscriptionException.class,
                () ->
                    client.add(
                        new Subscription(
                            "ssrf",
                            Subscription.Kind.WEBHOOK,
                            url,
                            "*",
                            Severity.LOW,
                            List.of(Topics.ALERTS.name()),
                            false,
                            "",
                            Map.of()),
                        secret));
        assertTrue(e2.refused(), url);
      }
      // A name that resolved to a public address at add time and to a private one later is
      // refused when delivering: simulated by a config added with the guard off at add time.
      client.add(
          webhook(
              "ssrf",
              r.url(),
              "ssrf-*",
              Severity.LOW,
              Map.of(WebhookConfig.ALLOW_PRIVATE, "false")),
          secret);
      send(Alerts.alert("ssrf-cam", 0, Severity.HIGH));
      producer.flush();
      ConsumerRecord<byte[], byte[]> dead = oneDeadLetter("ssrf");
      String why = header(dead, "__connect.errors.exception.message");
      assertTrue(why.contains("127.0.0.1, a loopback address"), why);
      assertTrue(r.received().isEmpty());
      client.remove("ssrf");
    }
  }

  private ConsumerRecord<byte[], byte[]> oneDeadLetter(String id) throws Exception {
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
      c.subscribe(List.of(Subscription.deadLetterTopic(id)));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      Await.until(
          "a dead letter on " + Subscription.deadLetterTopic(id),
          Duration.ofSeconds(60),
          () -> {
            c.poll(Duration.ofMillis(200)).forEach(got::add);
            return !got.isEmpty();
          });
      assertEquals(1, got.size());
      return got.get(0);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? "(no header " + name + ")" : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Waits until the subscription's committed offsets reach the end of vlm.alerts. */
  private void awaitCaughtUp(String id) throws Exception {
    try (Admin admin = broker.admin()) {
      Await.until(
          id + " caught up with " + Topics.ALERTS.name(),
          Duration.ofSeconds(60),
          () -> {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                admin
                    .listConsumerGroupOffsets("connect-" + id)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p = 0; p < Topics.ALERTS.partitions(); p++) {
              ask.put(new TopicPartition(Topics.ALERTS.name(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(ask).all().get();
            for (var e : ends.entrySet()) {
              var c = committed.get(e.getKey());
              long end = e.getValue().offset();
              if (end > 0 && (c == null || c.offset() < end)) {
                return false;
              }
            }
            return true;
          });
    }
  }
}
