package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.net.WebhookReceiver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code subscriptions} commands against a real Connect worker, with alerts sent by {@code
 * publish}: add (generated secret printed once, SSRF refusal exit 2), list and status without the
 * secret, rm.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class SubscriptionsCommandIT {

  record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = StreamsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void addListStatusRemoveWithAlertsFromPublish(KafkaBroker broker, @TempDir Path tmp)
      throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path secrets = tmp.resolve("secrets");
    try (ConnectWorker worker =
        ConnectWorker.start(
            WorkerSettings.of(broker.bootstrapServers(), secrets)
                .withListener("127.0.0.1", 0)
                .withGroup("it-cli-" + UUID.randomUUID()))) {
      String connect = worker.restUrl().toString();

      Run refused =
          cli(
              "subscriptions",
              "add",
              "--connect",
              connect,
              "--secrets-dir",
              secrets.toString(),
              "--id",
              "cli-hook",
              "--webhook",
              "http://127.0.0.1:9/hook");
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains("loopback"), refused.err());

      // The receiver learns the secret from the add output, like a user would.
      List<String> ids = new ArrayList<>();
      Run added;
      try (WebhookReceiver probe = WebhookReceiver.answering(dummySecret(), b -> 200)) {
        String url = probe.url();
        added =
            cli(
                "subscriptions",
                "add",
                "--connect",
                connect,
                "--secrets-dir",
                secrets.toString(),
                "--id",
                "cli-hook",
                "--webhook",
                url,
                "--allow-private",
                "--camera",
                "cli-*",
                "--min-severity",
                "high");
        assertEquals(0, added.code(), added.err());
      }
      Matcher m = Pattern.compile("(whsec_\\S+)").matcher(added.out());
      assertTrue(m.find(), added.out());
      String secret = m.group(1);
      // The probe is closed; point the subscription at a receiver that knows the secret.
      try (WebhookReceiver r = WebhookReceiver.answering(secret, b -> 200)) {
        Run readd =
            cli(
                "subscriptions",
                "add",
                "--connect",
                connect,
                "--secrets-dir",
                secrets.toString(),
                "--id",
                "cli-hook",
                "--webhook",
                r.url(),
                "--allow-private",
                "--camera",
                "cli-*",
                "--min-severity",
                "high",
                "--secret",
                secret);
        assertEquals(0, readd.code(), readd.err());
        assertFalse(readd.out().contains(secret), "a given secret is not echoed");

        Path lines = tmp.resolve("alerts.jsonl");
        StringBuilder sb = new StringBuilder();
        for (Severity s : Severity.values()) {
          Alert a = alert("cli-cam", s);
          sb.append(AvroJson.toJsonLine(a)).append('\n');
          if (s.ordinal() >= Severity.HIGH.ordinal()) {
            ids.add(a.getAlertId());
          }
        }
        Files.writeString(lines, sb);
        Run pub =
            cli(
                "publish",
                "vlm.alerts",
                "--bootstrap",
                broker.bootstrapServers(),
                "--json",
                lines.toString());
        assertEquals(0, pub.code(), pub.err());

        Await.until(
            "the HIGH and CRITICAL alerts",
            Duration.ofSeconds(60),
            () -> r.delivered().size() >= 2);
        assertEquals(ids, r.delivered().stream().map(WebhookReceiver.Received::id).toList());
        assertTrue(r.received().stream().allMatch(WebhookReceiver.Received::signatureValid));

        Run list = cli("subscriptions", "list", "--connect", connect);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("cli-hook") && list.out().contains("WEBHOOK"), list.out());
        Run status = cli("subscriptions", "status", "cli-hook", "--connect", connect);
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("delivered:     2"), status.out());
        for (Run x : List.of(list, status)) {
          assertFalse(x.out().contains(secret.substring(6)), x.out());
          assertFalse(x.out().contains("/hook"), "URL path is not shown: " + x.out());
        }
      }
      Run rm =
          cli(
              "subscriptions",
              "rm",
              "cli-hook",
              "--connect",
              connect,
              "--secrets-dir",
              secrets.toString());
      assertEquals(0, rm.code(), rm.err());
      assertFalse(Files.exists(secrets.resolve("cli-hook.properties")));
      assertEquals(1, cli("subscriptions", "status", "cli-hook", "--connect", connect).code());
    }
  }

  private static String dummySecret() {
    return io.streamsight.sinks.connect.webhook.WebhookSecret.generate();
  }

  private static Alert alert(String camera, Severity s) {
    return Alert.newBuilder()
        .setAlertId("cli-rule:" + camera + ":" + s)
        .setRuleId("cli-rule")
        .setCameraId(camera)
        .setQuestion("Is the door open?")
        .setPYes(0.9)
        .setThreshold(0.5)
        .setSeverity(s)
        .setWindowStartMicros(1_700_000_000_000_000L + s.ordinal())
        .setWindowEndMicros(1_700_000_010_000_000L)
        .setEvidence(List.of())
        .setModelId("fixture")
        .build();
  }
}
