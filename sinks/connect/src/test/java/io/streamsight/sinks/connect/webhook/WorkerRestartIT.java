package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.net.WebhookReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker process is killed (SIGKILL, no goodbye) while alerts stream in; a new worker with the
 * same Connect group resumes from the committed offsets and every alert still arrives.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerRestartIT {

  @Test
  void aKilledWorkerLosesNothing(KafkaBroker broker, @TempDir Path dir) throws Exception {
    Alerts.createTopics(broker);
    String secret = WebhookSecret.generate();
    String group = "it-restart-" + java.util.UUID.randomUUID();
    Set<String> sent = new HashSet<>();
    try (WebhookReceiver r = WebhookReceiver.answering(secret, b -> 200);
        KafkaProducer<String, Alert> producer = Alerts.producer(broker, Topics.ALERTS)) {
      AtomicReference<Process> worker = new AtomicReference<>(startWorker(broker, dir, group));
      try {
        URI rest = awaitReady(worker.get());
        new SubscriptionsClient(rest, dir.resolve("secrets"))
            .add(
                new Subscription(
                    "restart",
                    Subscription.Kind.WEBHOOK,
                    r.url(),
                    "rs-*",
                    Severity.LOW,
                    List.of(Topics.ALERTS.name()),
                    true,
                    "",
                    Map.of()),
                secret);
        int n = 0;
        for (; n < 300; n++) {
          sent.add(send(producer, n));
        }
        producer.flush();
        Await.until(
            "some alerts delivered", Duration.ofSeconds(90), () -> r.delivered().size() >= 50);
        worker.get().destroyForcibly().waitFor();
        for (; n < 600; n++) {
          sent.add(send(producer, n));
        }
        producer.flush();
        worker.set(startWorker(broker, dir, group));
        awaitReady(worker.get());
        Await.until(
            "all 600 alerts delivered after the restart",
            Duration.ofSeconds(120),
            () -> distinct(r).size() == 600);
        assertEquals(sent, distinct(r));
        assertTrue(r.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
      } finally {
        worker.get().destroyForcibly().waitFor();
      }
    }
  }

  private static Set<String> distinct(WebhookReceiver r) {
    Set<String> ids = new HashSet<>();
    r.delivered().forEach(x -> ids.add(x.id()));
    return ids;
  }

  private static String send(KafkaProducer<String, Alert> p, int n) {
    Alert a = Alerts.alert("rs-" + (n % 3), n, Severity.MEDIUM);
    p.send(new ProducerRecord<>(Topics.ALERTS.name(), a.getCameraId(), a));
    return a.getAlertId();
  }

  private static Process startWorker(KafkaBroker broker, Path dir, String group) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "-Dlog4j2.configurationFile=streamsight-test-log4j2.xml",
            ConnectWorker.class.getName(),
            broker.bootstrapServers(),
            "0",
            dir.resolve("secrets").toString(),
            group)
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the child's output until it prints {@code READY <url>}; echoes the rest. */
  private static URI awaitReady(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        URI url = URI.create(line.substring(6).trim());
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.transferTo(java.io.Writer.nullWriter());
                  } catch (java.io.IOException e) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return url;
      }
      System.out.println("[worker] " + line);
    }
    throw new AssertionError("the worker process ended before it was ready");
  }
}
