package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code alerts feedback} and {@code rules list --stats} against the real broker: verdicts land on
 * vlm.feedback keyed by event id with the event's rule, camera and p(yes), and the stats table
 * shows the figures and the threshold suggestion.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class AlertsFeedbackCommandIT {

  @Test
  void feedbackIsStoredByEventIdAndRulesStatsPrintsTheFigures(KafkaBroker broker) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    String bootstrap = broker.bootstrapServers();
    double[] p = {0.9, 0.8, 0.6, 0.95};
    try (var producer = RulesCommand.producer(bootstrap)) {
      for (int i = 0; i < p.length; i++) {
        Alert a = alert("fb-ev-" + i, p[i]);
        producer
            .send(
                new ProducerRecord<>(
                    Topics.ALERTS.name(),
                    RulesCommand.utf8(a.getCameraId()),
                    Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), a)))
            .get();
      }
    }
    Run ok = run("alerts", "feedback", "fb-ev-0", "--correct", "--bootstrap", bootstrap);
    assertEquals(0, ok.code, ok.err);
    assertTrue(ok.out.contains("feedback correct on fb-ev-0 stored"), ok.out);
    assertEquals(
        0, run("alerts", "feedback", "fb-ev-1", "--correct", "--bootstrap", bootstrap).code);
    Run bad =
        run(
            "alerts",
            "feedback",
            "fb-ev-2",
            "--false",
            "--note",
            "a cat",
            "--bootstrap",
            bootstrap);
    assertEquals(0, bad.code, bad.err);
    Run neither = run("alerts", "feedback", "fb-ev-3", "--bootstrap", bootstrap);
    assertEquals(2, neither.code, "a verdict is required");

    Map<String, Feedback> stored = new HashMap<>();
    TopicSnapshot.read(
        bootstrap,
        Topics.FEEDBACK,
        Feedback.class,
        Duration.ofSeconds(30),
        new PrintWriter(new StringWriter()),
        (k, f) -> {
          assertEquals(f.getEventId(), k, "key = event id");
          stored.put(k, f);
        });
    assertEquals(3, stored.size());
    Feedback f2 = stored.get("fb-ev-2");
    assertEquals(FeedbackVerdict.FALSE, f2.getVerdict());
    assertEquals("fb-rule", f2.getRuleId());
    assertEquals("cam-fb", f2.getCameraId());
    assertEquals("a cat", f2.getNote());
    assertEquals(0.6, f2.getPYes());

    Run stats = run("rules", "list", "--stats", "--bootstrap", bootstrap);
    assertEquals(0, stats.code, stats.err);
    String row = stats.out.lines().filter(l -> l.startsWith("fb-rule ")).findFirst().orElseThrow();
    List<String> cells = List.of(row.trim().split("\\s+"));
    assertEquals(List.of("fb-rule", "4", "2", "1", "1", "0.67"), cells.subList(0, 6), row);
    assertTrue(
        stats.out.contains(
            "fb-rule: at 0.8 you would have kept 2/2 confirmed and dropped 1/1 false"),
        stats.out);
  }

  private static Alert alert(String id, double pYes) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId("fb-rule")
        .setCameraId("cam-fb")
        .setQuestion("Is someone at the fence?")
        .setPYes(pYes)
        .setThreshold(0.5)
        .setSeverity(Severity.HIGH)
        .setWindowStartMicros(0)
        .setWindowEndMicros(10_000_000)
        .setEvidence(List.of())
        .setModelId("fixture")
        .setPhase(AlertPhase.STARTED)
        .setEventStartMicros(0L)
        .build();
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = StreamsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }
}
