package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.rule;
import static io.streamsight.vlm.operator.Frames.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.types.AvroRecordSerializer;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutcomeEmitterTest {
  private static final Rule BLUE = rule("blue", "*", "Is the scene blue?", 0.6, 25_000);

  private static KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary>
      harness() throws Exception {
    var h = restoredHarness();
    h.open();
    return h;
  }

  private static InferenceOutcome scored(long startMillis, double pYes) {
    return scored("cam-1", startMillis, pYes);
  }

  /** BLUE scored on the window so far starting at {@code startMillis} (a keyframe arrived). */
  private static InferenceOutcome scored(String camera, long startMillis, double pYes) {
    return scored(camera, Frames.soFar(camera, startMillis, startMillis + 10_000), pYes);
  }

  private static InferenceOutcome scored(String camera, WindowFrames w, double pYes) {
    InferenceTask task = new InferenceTask(camera, w, null, new Rule[] {BLUE}, null);
    return new InferenceOutcome(
        task, "m", "", TaskFinish.SCORED, new double[] {pYes}, CallTimings.NONE, null, 1);
  }

  /** The closed window starting at {@code startMillis}, described. */
  private static InferenceOutcome summarised(long startMillis) {
    WindowFrames w = window("cam-1", startMillis, startMillis + 10_000);
    InferenceTask task = new InferenceTask("cam-1", w, "Describe.", new Rule[0], null);
    return new InferenceOutcome(
        task, "m", "a blue scene", TaskFinish.STOP, new double[0], CallTimings.NONE, null, 1);
  }

  private static InferenceOutcome shed(long startMillis) {
    WindowFrames w = window("cam-1", startMillis, startMillis + 10_000);
    InferenceTask task = new InferenceTask("cam-1", w, "Describe.", new Rule[0], null);
    return new InferenceOutcome(
        task, "m", "", TaskFinish.SHED, new double[0], CallTimings.NONE, null, 1);
  }

  private static List<Alert> alerts(
      KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary> h) {
    var q = h.getSideOutput(OutcomeEmitter.ALERTS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void alertsOncePerCooldownWhenPYesReachesTheThreshold() throws Exception {
    try (var h = harness()) {
      h.processElement(scored(0, 0.59), 0); // below threshold
      h.processElement(scored(10_000, 0.9), 0); // fires
      h.processElement(scored(20_000, 0.9), 0); // 10 s after: cooling down
      h.processElement(scored(30_000, 0.9), 0); // 20 s after: cooling down
      h.processElement(scored(40_000, 0.9), 0); // 30 s after: fires again
      List<Alert> out = alerts(h);
      assertEquals(
          List.of(20_000_000L, 50_000_000L), out.stream().map(Alert::getWindowEndMicros).toList());
      assertEquals(0.9, out.get(0).getPYes());
      assertEquals(1, out.get(0).getEvidence().size());
      assertEquals(List.of(), h.extractOutputValues(), "scores make no summary");
    }
  }

  @Test
  @Timeout(30)
  void alertsOnTheFirstKeyframeOverTheThresholdAndNotAgainInTheSameWindow() throws Exception {
    Rule noCooldown = rule("blue", "*", "Is the scene blue?", 0.6, 0);
    try (var h = harness()) {
      WindowFrames first = Frames.soFar("cam-1", 0, 10_000);
      FrameRef a = first.frames()[0];
      FrameRef b = Frames.frame("cam-1", 4000, 1f);
      FrameRef c = Frames.frame("cam-1", 7000, 1f);
      h.processElement(outcome(noCooldown, soFar(a), 0.2), 0); // no
      h.processElement(outcome(noCooldown, soFar(a, b), 0.8), 0); // b shows it: alert now
      h.processElement(outcome(noCooldown, soFar(a, b, c), 0.9), 0); // same window: not again
      h.processElement(outcome(noCooldown, Frames.soFar("cam-1", 10_000, 20_000), 0.9), 0);
      List<Alert> out = alerts(h);
      assertEquals(2, out.size(), "one per window: " + out);
      Alert first0 = out.get(0);
      assertEquals(0.8, first0.getPYes());
      assertEquals(
          List.of(a.captureMicros(), b.captureMicros()),
          first0.getEvidence().stream().map(r -> r.getCaptureTimeMicros()).toList(),
          "the evidence is the window so far, ending with the keyframe that crossed");
      assertEquals(OutcomeEmitter.alertId("blue", "cam-1", 0, 10_000_000), first0.getAlertId());
      assertEquals(20_000_000L, out.get(1).getWindowEndMicros(), "cooldown 0: the next window");
    }
  }

  @Test
  @Timeout(30)
  void theCooldownCarriesAcrossWindowsFromAnEarlyAlert() throws Exception {
    try (var h = harness()) { // BLUE: 25 s cooldown, measured between window ends
      h.processElement(scored(0, 0.9), 0); // alert, window ending 10 s
      h.processElement(summarised(0), 0); // the window closes later: its summary, no 2nd alert
      h.processElement(scored(10_000, 0.9), 0); // window ending 20 s: cooling down
      h.processElement(scored(20_000, 0.9), 0); // ending 30 s: still (20 s < 25 s)
      h.processElement(scored(30_000, 0.9), 0); // ending 40 s: fires
      assertEquals(
          List.of(10_000_000L, 40_000_000L),
          alerts(h).stream().map(Alert::getWindowEndMicros).toList());
      assertEquals(1, h.extractOutputValues().size());
    }
  }

  private static WindowFrames soFar(FrameRef... frames) {
    return new WindowFrames("cam-1", 0, 10_000_000, frames, false);
  }

  private static InferenceOutcome outcome(Rule rule, WindowFrames w, double pYes) {
    InferenceTask task = new InferenceTask("cam-1", w, null, new Rule[] {rule}, null);
    return new InferenceOutcome(
        task, "m", "", TaskFinish.SCORED, new double[] {pYes}, CallTimings.NONE, null, 1);
  }

  @Test
  void keepsTheCooldownAcrossARestoreFromCheckpoint() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.processElement(scored(0, 0.9), 0);
      snapshot = h.snapshot(1, 1);
    }
    var restored = restoredHarness();
    restored.initializeState(snapshot);
    restored.open();
    restored.processElement(scored(10_000, 0.9), 0);
    assertEquals(List.of(), alerts(restored), "still cooling down after the restore");
    restored.close();
  }

  private static KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary>
      restoredHarness() throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(new OutcomeEmitter(), List.of(CameraRouter.RULES)),
            (KeySelector<InferenceOutcome, String>) o -> o.task().cameraId(),
            Types.STRING,
            1,
            1,
            0);
    // Summaries are Avro records: the harness must not guess their type (that needs flink-avro).
    h.setup(new AvroRecordSerializer<>(Summary.class));
    return h;
  }

  @Test
  void givesAReplayedWindowTheSameAlertId() {
    String a = OutcomeEmitter.alertId("blue", "cam-1", 0, 10_000_000);
    assertEquals(a, OutcomeEmitter.alertId("blue", "cam-1", 0, 10_000_000));
    assertNotEquals(a, OutcomeEmitter.alertId("blue", "cam-2", 0, 10_000_000));
    assertNotEquals(a, OutcomeEmitter.alertId("blue", "cam-1", 10_000_000, 20_000_000));
  }

  @Test
  void notesShedWindowsOnTheNextSummary() throws Exception {
    try (var h = harness()) {
      h.processElement(shed(0), 0);
      h.processElement(shed(10_000), 0);
      h.processElement(scored(20_000, 0.1), 0); // a shed or scored window so far counts nothing
      h.processElement(summarised(20_000), 0);
      h.processElement(summarised(30_000), 0);
      List<Summary> out = h.extractOutputValues();
      assertEquals(2, out.size(), "shed windows get no summary");
      assertEquals(2, out.get(0).getWindowsShedBefore());
      assertEquals(0, out.get(1).getWindowsShedBefore());
      assertEquals("stop", out.get(0).getFinishReason());
    }
  }

  @Test
  @Timeout(30)
  void aFailedScoreNeitherAlertsNorStartsTheCooldown() throws Exception {
    try (var h = harness()) {
      h.processElement(scored(0, Double.NaN), 0); // the score failed: no alert, no "no"
      h.processElement(scored(10_000, 0.9), 0); // 10 s later: fires, no cooldown was started
      assertEquals(
          List.of(20_000_000L), alerts(h).stream().map(Alert::getWindowEndMicros).toList());
      assertEquals(List.of(), h.extractOutputValues(), "scores make no summary");
    }
  }

  @Test
  @Timeout(30)
  void dropsTheCooldownsOfADeletedRuleOnEveryCamera() throws Exception {
    try (var h = harness()) {
      h.processElement(scored("cam-1", 0, 0.9), 0);
      h.processElement(scored("cam-2", 0, 0.9), 0);
      assertEquals(2, alerts(h).size());
      h.processBroadcastElement(new RuleChange("blue", null, null), 0); // tombstone
      // Re-created under the same id 10 s later: no stale cooldown holds its alerts back.
      h.processElement(scored("cam-1", 10_000, 0.9), 0);
      h.processElement(scored("cam-2", 10_000, 0.9), 0);
      assertEquals(4, alerts(h).size());
    }
  }

  @Test
  @Timeout(30)
  void forgetsACooldownADayAfterItWasWritten() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      h.processElement(scored(0, 0.9), 0);
      h.setStateTtlProcessingTime(StateTtl.AFTER_LAST_WRITE.toMillis() - 1);
      h.processElement(scored(10_000, 0.9), 0);
      assertEquals(1, alerts(h).size(), "cooling down while the entry lives");
      h.setStateTtlProcessingTime(StateTtl.AFTER_LAST_WRITE.toMillis() + 1);
      h.processElement(scored(20_000, 0.9), 0);
      assertEquals(2, alerts(h).size(), "expired with the rest of the camera's state");
    }
  }
}
