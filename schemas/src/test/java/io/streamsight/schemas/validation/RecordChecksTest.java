package io.streamsight.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordChecksTest {
  private static AlertRule rule(Consumer<AlertRule.Builder> change) {
    AlertRule.Builder b =
        AlertRule.newBuilder()
            .setId("fence")
            .setCameraGlob("cam-*")
            .setQuestion("Is someone climbing the fence?")
            .setThreshold(0.6)
            .setCooldownMicros(60_000_000L)
            .setSeverity(Severity.HIGH);
    change.accept(b);
    return b.build();
  }

  private static void refused(String field, String text, AlertRule r) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> RecordChecks.alertRule("fence", r));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void acceptsAGoodRule() {
    RecordChecks.alertRule("fence", rule(b -> {}));
    RecordChecks.alertRule(null, rule(b -> b.setCooldownMicros(0)));
  }

  @Test
  void refusesEachBadRuleFieldByName() {
    refused("question", "empty", rule(b -> b.setQuestion("  ")));
    refused("question", "501 characters", rule(b -> b.setQuestion("x".repeat(501))));
    refused("question", "control character", rule(b -> b.setQuestion("Fence?\nALERT: fake")));
    refused("threshold", "strictly between", rule(b -> b.setThreshold(0)));
    refused("threshold", "strictly between", rule(b -> b.setThreshold(1)));
    refused("threshold", "strictly between", rule(b -> b.setThreshold(1.5)));
    refused("threshold", "strictly between", rule(b -> b.setThreshold(Double.NaN)));
    refused("cooldownMicros", "negative", rule(b -> b.setCooldownMicros(-1)));
    refused("cooldownMicros", "longer than", rule(b -> b.setCooldownMicros(25L * 3600_000_000L)));
    refused("cameraGlob", "'['", rule(b -> b.setCameraGlob("cam-[1-3]")));
    refused("cameraGlob", "empty", rule(b -> b.setCameraGlob("")));
    refused("id", "rule id", rule(b -> b.setId("fence rule")));
    refused("id", "differs", rule(b -> b.setId("gate")));
  }

  @Test
  void refusesBadEventTimingByName() {
    refused("hysteresis", "not in [0, 1)", rule(b -> b.setHysteresis(-0.1)));
    refused("hysteresis", "not in [0, 1)", rule(b -> b.setHysteresis(1)));
    refused("clearAfterMicros", "clearAfter", rule(b -> b.setClearAfterMicros(-1)));
    refused("maxDurationMicros", "more than 0", rule(b -> b.setMaxDurationMicros(0)));
    refused("maxDurationMicros", "PT24H", rule(b -> b.setMaxDurationMicros(25L * 3600_000_000L)));
    refused(
        "minDurationMicros",
        "longer than maxDuration",
        rule(b -> b.setMinDurationMicros(20_000_000L).setMaxDurationMicros(10_000_000L)));
    refused("schedule", "unknown day 'Mox'", rule(b -> b.setSchedule("Mox-Fri 18:00-07:00")));
    refused("schedule", "unknown time zone", rule(b -> b.setSchedule("18:00-07:00 Mars/Olympus")));
  }

  @Test
  void acceptsEventTimingAndASchedule() {
    RecordChecks.alertRule(
        "fence",
        rule(
            b ->
                b.setHysteresis(0)
                    .setClearAfterMicros(0)
                    .setMinDurationMicros(5_000_000L)
                    .setSchedule("Mon-Fri 18:00-07:00 Europe/Berlin")));
  }

  @Test
  void aQuestionOfExactlyTheLimitInCodePointsPasses() {
    // 500 emoji are 1000 UTF-16 chars but 500 characters.
    RecordChecks.question("q", "\uD83D\uDE00".repeat(RecordChecks.MAX_QUESTION_CHARS));
  }

  @Test
  void refusesBadQueries() {
    Query.Builder ok =
        Query.newBuilder()
            .setQueryId("q-1")
            .setCameraId("cam-1")
            .setQuestion("What is happening?")
            .setCreatedMicros(1);
    RecordChecks.query(ok.build());
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () -> RecordChecks.query(Query.newBuilder(ok.build()).setCameraId("cam/1").build()));
    assertEquals("cameraId", e.field());
    e =
        assertThrows(
            InvalidRecordException.class,
            () -> RecordChecks.query(Query.newBuilder(ok.build()).setQuestion("").build()));
    assertEquals("question", e.field());
    e =
        assertThrows(
            InvalidRecordException.class,
            () -> RecordChecks.query(Query.newBuilder(ok.build()).setQueryId("").build()));
    assertEquals("queryId", e.field());
  }
}
