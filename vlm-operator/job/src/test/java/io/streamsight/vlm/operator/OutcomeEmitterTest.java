package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.KeyframeRef;
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
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.TestableKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alert-event lifecycle through the keyed emitter (flink-training's {@code
 * shouldUseTimersAndState} style): records, and that state and timers are gone when they should be.
 * Times are milliseconds of event time; windows are 10 s, so a keyframe at 4 s is in [0, 10 s).
 */
@Timeout(60)
class OutcomeEmitterTest {
  /** threshold 0.6, hysteresis 0.1 (stays open at 0.5), clearAfter 10 s, cooldown 20 s. */
  private static final Rule FENCE = rule(b -> {});

  private record RuleSpec(
      double hysteresis,
      long clearAfterMs,
      long maxDurationMs,
      long minDurationMs,
      long cooldownMs,
      String schedule) {}

  private static Rule rule(Consumer<RuleSpec[]> change) {
    RuleSpec[] s = {new RuleSpec(0.1, 10_000, 600_000, 0, 20_000, null)};
    change.accept(s);
    RuleSpec r = s[0];
    return new Rule(
        "fence",
        "*",
        "Is someone climbing the fence?",
        0.6,
        r.cooldownMs * 1000,
        "HIGH",
        true,
        r.hysteresis,
        r.clearAfterMs * 1000,
        r.maxDurationMs * 1000,
        r.minDurationMs * 1000,
        r.schedule);
  }

  private static Rule withMinDuration(long ms) {
    return rule(s -> s[0] = new RuleSpec(0.1, 10_000, 600_000, ms, 20_000, null));
  }

  private static KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary>
      harness() throws Exception {
    var h = newHarness();
    h.open();
    return h;
  }

  private static KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary>
      newHarness() throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new OutcomeEmitter(30_000_000L), List.of(CameraRouter.RULES)),
            (KeySelector<InferenceOutcome, String>) o -> o.task().cameraId(),
            Types.STRING,
            1,
            1,
            0);
    // Summaries are Avro records: the harness must not guess their type (that needs flink-avro).
    h.setup(new AvroRecordSerializer<>(Summary.class));
    return h;
  }

  /** {@code rule} scored {@code pYes} on the window so far ending with a keyframe at {@code ms}. */
  private static InferenceOutcome scored(Rule rule, long ms, double pYes) {
    return scored("cam-1", rule, ms, pYes);
  }

  private static InferenceOutcome scored(String camera, Rule rule, long ms, double pYes) {
    long start = ms - Math.floorMod(ms, 10_000L);
    WindowFrames w =
        new WindowFrames(
            camera,
            start * 1000,
            (start + 10_000) * 1000,
            new FrameRef[] {Frames.frame(camera, ms, 1f)},
            false);
    InferenceTask task = new InferenceTask(camera, w, null, new Rule[] {rule}, null);
    return new InferenceOutcome(
        task, "m", "", TaskFinish.SCORED, new double[] {pYes}, CallTimings.NONE, null, 1);
  }

  /** The sampler's progress at {@code ms}: carried by a frame, or extrapolated (camera quiet). */
  private static InferenceOutcome tick(long ms, boolean quiet) {
    FrameRef p = Frames.progress("cam-1", ms);
    if (!quiet) {
      p = new FrameRef(p.cameraId(), p.captureMicros(), ms, p.topic(), 0, ms, 0f, true);
    }
    InferenceTask task = InferenceTask.tick(WindowFrames.tick(p));
    return new InferenceOutcome(
        task, "m", "", TaskFinish.SCORED, new double[0], CallTimings.NONE, null, 1);
  }

  private static InferenceOutcome tick(long ms) {
    return tick(ms, false);
  }

  /**
   * The closed window starting at {@code startMillis}, with a keyframe in its middle, described as
   * {@code text}.
   */
  private static InferenceOutcome summarised(long startMillis, String text) {
    return described(
        new WindowFrames(
            "cam-1",
            startMillis * 1000,
            (startMillis + 10_000) * 1000,
            new FrameRef[] {Frames.frame("cam-1", startMillis + 5_000, 1f)},
            true),
        text);
  }

  private static InferenceOutcome described(WindowFrames w, String text) {
    InferenceTask task = new InferenceTask("cam-1", w, "Describe.", new Rule[0], null);
    return new InferenceOutcome(
        task, "m", text, TaskFinish.STOP, new double[0], CallTimings.NONE, null, 1);
  }

  private static List<Alert> alerts(
      KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary> h) {
    var q = h.getSideOutput(OutcomeEmitter.ALERTS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  private static List<AlertPhase> phases(List<Alert> alerts) {
    return alerts.stream().map(Alert::getPhase).toList();
  }

  private static int stateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
    return ((TestableKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private static void process(
      KeyedBroadcastOperatorTestHarness<String, InferenceOutcome, RuleChange, Summary> h,
      InferenceOutcome... outcomes)
      throws Exception {
    for (InferenceOutcome o : outcomes) {
      h.processElement(o, 0);
    }
  }

  @Test
  void shouldStartOnTheFirstKeyframeOverTheThreshold() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.3), scored(FENCE, 4_000, 0.8));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED), phases(out));
      Alert started = out.get(0);
      assertEquals(OutcomeEmitter.alertId("fence", "cam-1", 0, 10_000_000), started.getAlertId());
      assertEquals(4_000_000L, started.getEventStartMicros());
      assertEquals(0.8, started.getPYes());
      assertEquals(0.8, started.getPeakPYes());
      assertEquals(
          List.of(4_000_000L),
          started.getEvidence().stream().map(KeyframeRef::getCaptureTimeMicros).toList());
      assertNull(started.getEventEndMicros());
      assertEquals(List.of(), h.extractOutputValues(), "scores make no summary");
      assertEquals(1, h.numEventTimeTimers(), "the end-of-input timer while an event is open");
    }
  }

  @Test
  void shouldStayOpenWhileScoresKeepAboveThresholdMinusHysteresis() throws Exception {
    try (var h = harness()) {
      process(
          h,
          scored(FENCE, 1_000, 0.8), // STARTED
          scored(FENCE, 3_000, 0.55), // under the threshold, over 0.5: still true
          scored(FENCE, 5_000, 0.3), // false from 5 s...
          tick(9_000),
          scored(FENCE, 8_000, 0.7), // ...a flicker: true again before clearAfter
          tick(17_000), // 10 s after the flicker started: still open
          scored(FENCE, 20_000, 0.2), // false from 20 s
          tick(29_900));
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)));
      process(h, tick(30_000));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.ENDED), phases(out));
      Alert ended = out.get(1);
      assertEquals(out.get(0).getAlertId(), ended.getAlertId(), "one id for the whole event");
      assertEquals("CLEARED", ended.getEndReason());
      assertEquals(1_000_000L, ended.getEventStartMicros());
      assertEquals(20_000_000L, ended.getEventEndMicros(), "ends where it was first seen false");
      assertEquals(0.8, ended.getPeakPYes());
      assertEquals(0.2, ended.getPYes());
    }
  }

  @Test
  void shouldClearStateAndTimersOnceTheEventEndedAndTheCooldownPassed() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.9), scored(FENCE, 2_000, 0.1), tick(11_900));
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)));
      process(h, tick(12_000)); // false for clearAfter (10 s) since 2 s
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.ENDED), phases(alerts(h)));
      assertEquals(1, stateEntries(h), "cooling down until 22 s (end + 20 s)");
      process(h, scored(FENCE, 15_000, 0.9), tick(21_900));
      assertEquals(2, alerts(h).size(), "no event starts during the cooldown");
      process(h, tick(22_000));
      assertEquals(0, stateEntries(h), "cooldown over: the camera's event state is gone");
      assertEquals(0, h.numEventTimeTimers(), "and so is its timer");
      assertEquals(0, h.numProcessingTimeTimers());
    }
  }

  @Test
  void shouldStartAFreshEventWithANewIdAfterTheCooldown() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.9), scored(FENCE, 2_000, 0.1), tick(12_000));
      process(h, scored(FENCE, 21_000, 0.9), scored(FENCE, 23_000, 0.9));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.ENDED, AlertPhase.STARTED), phases(out));
      assertEquals(23_000_000L, out.get(2).getEventStartMicros());
      assertEquals(
          OutcomeEmitter.alertId("fence", "cam-1", 20_000_000, 30_000_000),
          out.get(2).getAlertId());
    }
  }

  @Test
  void shouldEndAtMaxDuration() throws Exception {
    Rule max30s = rule(s -> s[0] = new RuleSpec(0.1, 10_000, 30_000, 0, 0, null));
    try (var h = harness()) {
      for (long t = 1_000; t <= 30_000; t += 5_000) {
        process(h, scored(max30s, t, 0.9));
      }
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)));
      process(h, tick(31_000));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.ENDED), phases(out));
      assertEquals("MAX_DURATION", out.get(1).getEndReason());
      assertEquals(31_000_000L, out.get(1).getEventEndMicros(), "start + maxDuration");
      process(h, scored(max30s, 32_000, 0.9)); // cooldown 0: what is still there is a new event
      assertEquals(AlertPhase.STARTED, alerts(h).get(2).getPhase());
      assertNotEquals(out.get(0).getAlertId(), alerts(h).get(2).getAlertId());
    }
  }

  @Test
  void shouldStartOnlyOnceTheConditionHeldForMinDuration() throws Exception {
    Rule min5s = withMinDuration(5_000);
    try (var h = harness()) {
      process(h, scored(min5s, 1_000, 0.8), scored(min5s, 3_000, 0.55), tick(5_900));
      assertEquals(List.of(), alerts(h), "held 4.9 s: not yet");
      process(h, tick(6_000));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED), phases(out));
      assertEquals(1_000_000L, out.get(0).getEventStartMicros(), "the event began at 1 s");
      assertEquals(
          OutcomeEmitter.alertId("fence", "cam-1", 0, 10_000_000), out.get(0).getAlertId());
    }
    try (var h = harness()) {
      process(h, scored(min5s, 1_000, 0.8), scored(min5s, 4_000, 0.2), tick(9_000));
      assertEquals(List.of(), alerts(h), "a 3 s blip never starts an event");
      assertEquals(0, stateEntries(h));
      assertEquals(0, h.numEventTimeTimers());
    }
  }

  @Test
  void shouldEndWhenTheCameraStopsSendingFramesAndStartAgainWhenItIsBack() throws Exception {
    try (var h = harness()) {
      process(
          h, scored(FENCE, 1_000, 0.9), scored(FENCE, 3_000, 0.9), tick(4_000), tick(7_000, true));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.ENDED), phases(out));
      assertEquals("CAMERA_ENDED", out.get(1).getEndReason());
      assertEquals(4_000_000L, out.get(1).getEventEndMicros(), "its last frame");
      assertEquals(0, stateEntries(h), "no cooldown after a camera ended");
      assertEquals(0, h.numEventTimeTimers());
      process(h, scored(FENCE, 12_000, 0.9));
      assertEquals(AlertPhase.STARTED, alerts(h).get(2).getPhase());
    }
  }

  @Test
  void shouldEndOpenEventsAtTheEndOfABoundedInput() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.9), scored("cam-2", FENCE, 2_000, 0.9));
      h.processWatermark(Long.MAX_VALUE);
      h.processBroadcastWatermark(Long.MAX_VALUE);
      List<Alert> out = alerts(h);
      assertEquals(4, out.size(), out.toString());
      assertEquals(
          2, out.stream().filter(a -> "CAMERA_ENDED".equals(a.getEndReason())).count(), "each");
      assertEquals(0, stateEntries(h));
    }
  }

  @Test
  void shouldUpdateWithTheSummaryOfTheEventsWindowAtMostEveryUpdateInterval() throws Exception {
    try (var h = harness()) { // updateEvery 30 s
      process(
          h,
          summarised(-10_000, "an empty yard"), // before the event: not its summary
          scored(FENCE, 4_000, 0.9),
          summarised(-10_000, "an empty yard"), // closing late: still not the event's
          tick(11_000),
          summarised(0, "a person climbs the fence"),
          scored(FENCE, 15_000, 0.9),
          tick(21_000),
          summarised(10_000, "a person on top of the fence"), // 10 s after the update: quiet
          scored(FENCE, 22_000, 0.1),
          tick(32_000));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.UPDATED, AlertPhase.ENDED), phases(out));
      Alert updated = out.get(1);
      assertEquals("a person climbs the fence", updated.getSummaryText());
      assertEquals(
          List.of(4_000_000L, 5_000_000L),
          updated.getEvidence().stream().map(KeyframeRef::getCaptureTimeMicros).toList(),
          "the window's keyframes join the one that crossed, in capture order");
      assertEquals(out.get(0).getAlertId(), updated.getAlertId());
      assertEquals("a person on top of the fence", out.get(2).getSummaryText(), "the latest");
      assertEquals(4, h.extractOutputValues().size(), "every window still has its summary");
    }
  }

  @Test
  void shouldNotTakeTheCaptionOfAWindowShowingTheSceneAfterTheConditionEnded() throws Exception {
    try (var h = harness()) {
      process(
          h,
          scored(FENCE, 4_000, 0.9),
          // A window whose kept keyframe (at 1 ms) is from before the start: not the event's.
          described(window("cam-1", 0, 10_000), "an empty yard"));
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)));
      WindowFrames w =
          new WindowFrames(
              "cam-1",
              10_000_000,
              20_000_000,
              new FrameRef[] {Frames.frame("cam-1", 12_000, 1f), Frames.frame("cam-1", 16_000, 1f)},
              true);
      process(
          h,
          scored(FENCE, 12_000, 0.9),
          scored(FENCE, 16_000, 0.1), // false from 16 s
          described(w, "a person on the fence")); // its 12 s keyframe showed it: the caption
      WindowFrames after =
          new WindowFrames(
              "cam-1",
              20_000_000,
              30_000_000,
              new FrameRef[] {Frames.frame("cam-1", 21_000, 1f)},
              true);
      process(h, described(after, "an empty yard"), tick(26_000));
      List<Alert> out = alerts(h);
      assertEquals(List.of(AlertPhase.STARTED, AlertPhase.UPDATED, AlertPhase.ENDED), phases(out));
      assertEquals("a person on the fence", out.get(1).getSummaryText());
      assertEquals("a person on the fence", out.get(2).getSummaryText(), "not the empty yard");
    }
  }

  @Test
  void shouldStartNoEventOutsideTheSchedule() throws Exception {
    Rule nights = rule(s -> s[0] = new RuleSpec(0.1, 10_000, 600_000, 0, 0, "18:00-07:00 UTC"));
    long noon = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
    long evening = Instant.parse("2026-12-07T18:00:00Z").toEpochMilli();
    try (var h = harness()) {
      process(h, scored(nights, noon, 0.9), scored(nights, noon + 5_000, 0.9));
      assertEquals(List.of(), alerts(h), "active hours start at 18:00");
      assertEquals(0, stateEntries(h));
      process(h, scored(nights, evening, 0.9));
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)));
    }
  }

  @Test
  void shouldIgnoreAFailedScore() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, Double.NaN));
      assertEquals(List.of(), alerts(h), "unknown is not yes");
      process(h, scored(FENCE, 2_000, 0.9), scored(FENCE, 3_000, Double.NaN), tick(20_000));
      assertEquals(List.of(AlertPhase.STARTED), phases(alerts(h)), "nor no: still open");
    }
  }

  @Test
  void shouldEndTheOpenEventsOfADeletedRuleOnEveryCamera() throws Exception {
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.9), scored("cam-2", FENCE, 1_000, 0.9));
      h.processBroadcastElement(new RuleChange("fence", null, null), 0); // tombstone
      List<Alert> out = alerts(h);
      assertEquals(4, out.size());
      assertEquals(2, out.stream().filter(a -> "RULE_REMOVED".equals(a.getEndReason())).count());
      assertEquals(0, stateEntries(h));
      process(h, scored(FENCE, 2_000, 0.9)); // re-created: no stale state holds it back
      assertEquals(5, alerts(h).size());
    }
  }

  @Test
  void shouldGiveAReplayTheSameIdsAndRecords() throws Exception {
    InferenceOutcome[] input = {
      scored(FENCE, 1_000, 0.9),
      summarised(0, "a person climbs the fence"),
      scored(FENCE, 12_000, 0.2),
      tick(22_000),
      scored(FENCE, 45_000, 0.8),
      tick(50_000, true)
    };
    List<Alert> first;
    try (var h = harness()) {
      process(h, input);
      first = alerts(h);
    }
    try (var h = harness()) {
      process(h, input);
      assertEquals(first, alerts(h));
    }
    assertEquals(
        List.of(
            AlertPhase.STARTED,
            AlertPhase.UPDATED,
            AlertPhase.ENDED,
            AlertPhase.STARTED,
            AlertPhase.ENDED),
        phases(first));
  }

  @Test
  void shouldKeepAnOpenEventAcrossARestoreFromCheckpoint() throws Exception {
    OperatorSubtaskState snapshot;
    String id;
    try (var h = harness()) {
      process(h, scored(FENCE, 1_000, 0.9), scored(FENCE, 2_000, 0.1));
      id = alerts(h).get(0).getAlertId();
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = newHarness()) {
      restored.initializeState(snapshot);
      restored.open();
      process(restored, tick(12_000));
      List<Alert> out = alerts(restored);
      assertEquals(List.of(AlertPhase.ENDED), phases(out));
      assertEquals(id, out.get(0).getAlertId());
    }
  }

  @Test
  void shouldForgetEventStateADayAfterItWasWritten() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      process(h, scored(FENCE, 1_000, 0.9));
      h.setStateTtlProcessingTime(StateTtl.AFTER_LAST_WRITE.toMillis() + 1);
      process(h, scored(FENCE, 2_000, 0.9));
      assertEquals(2, alerts(h).size(), "expired with the rest of the camera's state: restarts");
    }
  }

  @Test
  void notesShedWindowsOnTheNextSummary() throws Exception {
    try (var h = harness()) {
      WindowFrames w = window("cam-1", 0, 10_000);
      InferenceTask task = new InferenceTask("cam-1", w, "Describe.", new Rule[0], null);
      var shed =
          new InferenceOutcome(
              task, "m", "", TaskFinish.SHED, new double[0], CallTimings.NONE, null, 1);
      process(h, shed, shed, scored(FENCE, 20_000, 0.1), summarised(20_000, "a"));
      process(h, summarised(30_000, "b"));
      List<Summary> out = h.extractOutputValues();
      assertEquals(2, out.size(), "shed windows get no summary");
      assertEquals(2, out.get(0).getWindowsShedBefore());
      assertEquals(0, out.get(1).getWindowsShedBefore());
      assertEquals("stop", out.get(0).getFinishReason());
    }
  }

  @Test
  void keepsEventStateAsAPojoNotWithKryo() {
    // Kryo state could not evolve with the record; a POJO (record) serialiser can add fields.
    assertEquals(
        PojoTypeInfo.class,
        TypeInformation.of(io.streamsight.vlm.operator.alerts.EventState.class).getClass());
  }

  @Test
  void givesAReplayedWindowTheSameAlertId() {
    String a = OutcomeEmitter.alertId("blue", "cam-1", 0, 10_000_000);
    assertEquals(a, OutcomeEmitter.alertId("blue", "cam-1", 0, 10_000_000));
    assertNotEquals(a, OutcomeEmitter.alertId("blue", "cam-2", 0, 10_000_000));
    assertNotEquals(a, OutcomeEmitter.alertId("blue", "cam-1", 10_000_000, 20_000_000));
  }
}
