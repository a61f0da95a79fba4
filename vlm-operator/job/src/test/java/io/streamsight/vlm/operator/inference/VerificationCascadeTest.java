package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.CameraRouter;
import io.streamsight.vlm.operator.OutcomeEmitter;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.AvroRecordSerializer;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleCheck.Verdict;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The verification cascade from the scoring step to the alerts: the screening model scores every
 * rule 0.9; one verifier agrees (0.8, with its reason), one disagrees (0.1), one is down. Only the
 * rule without a verifier and the confirmed one alert, and each verdict is counted.
 */
@Timeout(60)
class VerificationCascadeTest {
  private static final String CAMERA = "cam-v";

  private static Rule rule(String id, String verifier) {
    return new Rule(id, "*", "Is someone at the door?", 0.5, 0, "HIGH", true, verifier);
  }

  private static final Rule AGREED = rule("agreed", "agree");
  private static final Rule DISAGREED = rule("disagreed", "disagree");
  private static final Rule UNVERIFIABLE = rule("unverifiable", "down");
  private static final Rule PLAIN = rule("plain", null);

  private InferenceAsyncFunction function(String suffix) {
    Models models =
        Models.named(
            Map.of(
                "default", ScriptedModelProvider.scoring("screen-" + suffix, 0.9, "a door"),
                "agree",
                    ScriptedModelProvider.scoring(
                        "agree-" + suffix, 0.8, "Yes.\n A person   stands at the door."),
                "disagree",
                    ScriptedModelProvider.scoring(
                        "disagree-" + suffix, 0.1, "No. It is a coat on a hook."),
                "down", ScriptedModelProvider.unavailable("down-" + suffix)));
    return InferenceAsyncFunction.forWindows(
        models, OperatorConfig.defaults(), FrameFetcher.none());
  }

  private static InferenceTask soFar() {
    FrameRef f = new FrameRef(CAMERA, 1000, 1, "cameras.keyframes", 0, 7, 1f, false);
    ImageCache.shared().put(f, new byte[] {1});
    WindowFrames w = new WindowFrames(CAMERA, 0, 10_000_000, new FrameRef[] {f}, false);
    return new InferenceTask(
        CAMERA, w, null, new Rule[] {AGREED, DISAGREED, UNVERIFIABLE, PLAIN}, null);
  }

  private static List<InferenceOutcome> run(InferenceAsyncFunction fn, InferenceTask... tasks)
      throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            new AsyncWaitOperatorFactory<>(fn, 30_000, 1, OutputMode.ORDERED),
            TypeInformation.of(InferenceTask.class).createSerializer(new SerializerConfigImpl()));
    h.open();
    for (InferenceTask t : tasks) {
      h.processElement(t, 0);
    }
    h.endInput();
    List<InferenceOutcome> out = h.extractOutputValues();
    h.close();
    return out;
  }

  @Test
  void onlyAConfirmedOrUnverifiedScoreAlertsAndEachVerdictIsCounted() throws Exception {
    InferenceAsyncFunction fn = function("alerts-" + System.nanoTime());
    InferenceOutcome o = run(fn, soFar()).get(0);

    assertEquals(Verdict.CONFIRMED, o.check(0).verdict());
    assertEquals(0.8, o.check(0).verifierPYes(), 1e-9);
    assertEquals("Yes. A person stands at the door.", o.check(0).reason(), "one line");
    assertEquals(Verdict.REJECTED, o.check(1).verdict());
    assertEquals(0.1, o.check(1).verifierPYes(), 1e-9);
    assertEquals(Verdict.SHED, o.check(2).verdict(), "a verifier that is down: shed, not a no");
    assertEquals(Verdict.UNVERIFIED, o.check(3).verdict());
    for (Rule r : List.of(AGREED, DISAGREED, UNVERIFIABLE)) {
      assertEquals(1, fn.cascadeCount(r.id(), Verdict.UNVERIFIED), r.id() + " screened");
    }
    assertEquals(1, fn.cascadeCount("agreed", Verdict.CONFIRMED));
    assertEquals(1, fn.cascadeCount("disagreed", Verdict.REJECTED));
    assertEquals(1, fn.cascadeCount("unverifiable", Verdict.SHED));
    assertEquals(0, fn.cascadeCount("agreed", Verdict.REJECTED));

    Map<String, Alert> alerts =
        emit(o).stream().collect(Collectors.toMap(Alert::getRuleId, a -> a));
    assertEquals(List.of("agreed", "plain"), alerts.keySet().stream().sorted().toList());
    Alert confirmed = alerts.get("agreed");
    assertEquals(0.9, confirmed.getPYes(), 1e-9, "the screening model's p(yes)");
    assertEquals(0.8, confirmed.getVerification().getPYes(), 1e-9, "and the verifier's");
    assertTrue(confirmed.getVerification().getModelId().startsWith("agree-"));
    assertEquals("Yes. A person stands at the door.", confirmed.getVerification().getReason());
    assertEquals(
        io.streamsight.schemas.avro.ScoreMethod.LOGPROBS,
        confirmed.getVerification().getScoreMethod());
    assertEquals(io.streamsight.schemas.avro.ScoreMethod.LOGPROBS, confirmed.getScoreMethod());
    assertNull(alerts.get("plain").getVerification(), "no verifier, no verification");
  }

  @Test
  void aWindowConfirmedOnceIsNotSentToTheVerifierAgainOnItsNextKeyframe() throws Exception {
    InferenceAsyncFunction fn = function("again-" + System.nanoTime());
    List<InferenceOutcome> out = run(fn, soFar(), soFar());

    assertEquals(Verdict.CONFIRMED, out.get(1).check(0).verdict(), "still confirmed");
    assertEquals(1, fn.cascadeCount("agreed", Verdict.CONFIRMED), "asked once");
    assertEquals(2, fn.cascadeCount("disagreed", Verdict.REJECTED), "a rejection is re-asked");
  }

  /** What the alert emitter makes of {@code o}. */
  private static List<Alert> emit(InferenceOutcome o) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(new OutcomeEmitter(), List.of(CameraRouter.RULES)),
            (KeySelector<InferenceOutcome, String>) x -> x.task().cameraId(),
            Types.STRING,
            1,
            1,
            0);
    h.setup(new AvroRecordSerializer<>(Summary.class));
    h.open();
    h.processElement(o, 0);
    var q = h.getSideOutput(OutcomeEmitter.ALERTS);
    List<Alert> alerts = q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    h.close();
    return alerts;
  }
}
