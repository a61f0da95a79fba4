package io.streamsight.vlm.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rule whose verifier is not a model of the job is dead-lettered, naming the models there are.
 */
@Timeout(30)
class RuleVerifierNamesTest {
  private static RuleChange rule(String id, String verifier) {
    return new RuleChange(
        id, new Rule(id, "*", "Is someone there?", 0.5, 0, "HIGH", true, verifier), null);
  }

  @Test
  void aRuleNamingAnUnknownVerifierIsDeadLetteredNotSilentlyUnverified() throws Exception {
    try (var h =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new RejectionSplitters.Rules(List.of("default", "big"))))) {
      h.open();
      h.processElement(rule("known", "big"), 0);
      h.processElement(rule("plain", null), 0);
      h.processElement(rule("unknown", "gpt-5"), 0);

      assertEquals(
          List.of("known", "plain"),
          h.extractOutputValues().stream().map(RuleChange::ruleId).toList());
      List<DeadLetter> dead =
          h.getSideOutput(RejectionSplitters.DEAD_LETTERS).stream()
              .map(StreamRecord::getValue)
              .toList();
      assertEquals(1, dead.size());
      DeadLetter d = dead.get(0);
      assertEquals("UnknownModel", d.getErrorClass());
      assertEquals("unknown", StandardCharsets.UTF_8.decode(d.getOriginalKey()).toString());
      assertTrue(
          d.getErrorMessage().contains("verifyWith 'gpt-5'")
              && d.getErrorMessage().contains("models: default, big"),
          d.getErrorMessage());
    }
  }
}
