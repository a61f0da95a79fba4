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
