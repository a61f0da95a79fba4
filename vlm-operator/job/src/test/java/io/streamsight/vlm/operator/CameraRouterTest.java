package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.rule;
import static io.streamsight.vlm.operator.Frames.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.CameraEvent;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30)
class CameraRouterTest {
  private KeyedBroadcastOperatorTestHarness<String, CameraEvent, RuleChange, InferenceTask> h;
  private long t;

  @BeforeEach
  void open() throws Exception {
    h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new CameraRouter(OperatorConfig.defaults()),
            CameraEvent::cameraId,
            Types.STRING,
            CameraRouter.RULES);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private InferenceTask closeWindow(String camera) throws Exception {
    t += 10_000;
    h.processElement(CameraEvent.of(window(camera, t - 10_000, t)), t);
    List<InferenceTask> out = h.extractOutputValues();
    return out.get(out.size() - 1);
  }

  /** Sends a window so far; the rules it is scored against, or none when no task was made. */
  private List<String> keyframeArrives(String camera) throws Exception {
    int before = h.extractOutputValues().size();
    h.processElement(CameraEvent.of(Frames.soFar(camera, t, t + 10_000)), t + 1);
    List<InferenceTask> out = h.extractOutputValues();
    if (out.size() == before) {
      return List.of();
    }
    InferenceTask task = out.get(out.size() - 1);
    assertNull(task.instruction(), "a window so far is scored, not described");
    return questions(task);
  }

  private void change(String id, Rule r) throws Exception {
    h.processBroadcastElement(new RuleChange(id, r, null), t);
  }

  private static List<String> questions(InferenceTask task) {
    return Arrays.stream(task.rules()).map(Rule::question).toList();
  }

  @Test
  void scoresEachWindowSoFarAgainstTheRulesAddedUpdatedAndDeletedAtRunTime() throws Exception {
    assertEquals(List.of(), keyframeArrives("cam-1"));

    change("blue", rule("blue", "cam-*", "Is the scene blue?", 0.5, 60_000));
    assertEquals(List.of("Is the scene blue?"), keyframeArrives("cam-1"));

    change("blue", rule("blue", "cam-*", "Is the scene dark blue?", 0.5, 60_000));
    change("red", rule("red", "cam-1", "Is the scene red?", 0.5, 60_000));
    assertEquals(List.of("Is the scene dark blue?", "Is the scene red?"), keyframeArrives("cam-1"));

    change("blue", null); // tombstone
    assertEquals(List.of("Is the scene red?"), keyframeArrives("cam-1"));
  }

  @Test
  void appliesOnlyEnabledRulesWhoseGlobMatchesTheCamera() throws Exception {
    change("a", rule("a", "cam-?", "A?", 0.5, 0));
    change("b", rule("b", "door-*", "B?", 0.5, 0));
    change("c", new Rule("c", "*", "C?", 0.5, 0, "LOW", false));
    assertEquals(List.of("A?"), keyframeArrives("cam-7"));
    assertEquals(List.of(), keyframeArrives("cam-77"));
    assertEquals(List.of("B?"), keyframeArrives("door-north"));
  }

  @Test
  void passesTicksOnOnlyForCamerasARuleWatchesAndNeverAnswersWithThem() throws Exception {
    WindowFrames tick = WindowFrames.tick(Frames.progress("cam-1", 5_000));
    h.processElement(CameraEvent.of(tick), 5);
    assertEquals(List.of(), h.extractOutputValues(), "no rule: nothing needs the time");
    change("blue", rule("blue", "cam-*", "Is the scene blue?", 0.5, 60_000));
    h.processElement(CameraEvent.of(tick), 5);
    List<InferenceTask> out = h.extractOutputValues();
    assertEquals(1, out.size());
    assertEquals(true, out.get(0).isTick());
    assertEquals(0, out.get(0).rules().length, "a tick is never scored");
  }

  @Test
  void scoresTheNewestKeyframeAloneOnceItsWindowIsOver() throws Exception {
    change("blue", rule("blue", "cam-*", "Is the scene blue?", 0.5, 60_000));
    FrameRef a = Frames.frame("cam-1", 1_000, 1f);
    FrameRef b = Frames.frame("cam-1", 6_000, 1f); // the scene back to normal
    h.processElement(
        CameraEvent.of(new WindowFrames("cam-1", 0, 10_000_000, new FrameRef[] {a, b}, false)), 6);
    int before = h.extractOutputValues().size();
    h.processElement(CameraEvent.of(WindowFrames.tick(Frames.progress("cam-1", 9_000))), 9);
    assertEquals(before + 1, h.extractOutputValues().size(), "its window is still open: a tick");
    for (long t = 10_000; t <= 12_000; t += 1_000) {
      h.processElement(CameraEvent.of(WindowFrames.tick(Frames.progress("cam-1", t))), t);
    }
    List<InferenceTask> rescored =
        h.extractOutputValues().stream().filter(x -> !x.isTick()).skip(1).toList();
    assertEquals(1, rescored.size(), "once: " + rescored);
    InferenceTask alone = rescored.get(0);
    assertEquals(List.of(b), List.of(alone.window().frames()), "the newest keyframe alone");
    assertEquals(0, alone.window().windowStartMicros(), "in its own window (the event id's)");
    assertEquals(List.of("Is the scene blue?"), questions(alone));
  }

  @Test
  void aClosedWindowIsDescribedAndNotScoredAgain() throws Exception {
    change("blue", rule("blue", "cam-*", "Is the scene blue?", 0.5, 60_000));
    InferenceTask closed = closeWindow("cam-1");
    assertEquals(OperatorConfig.defaults().instructionFor("cam-1"), closed.instruction());
    assertEquals(List.of(), questions(closed), "its rules were scored as its keyframes came");
  }

  /** The window so far [start, start + 10 s) whose newest keyframe was captured at {@code ms}. */
  private static WindowFrames soFarWithFrameAt(String camera, long startMillis, long ms) {
    return new WindowFrames(
        camera,
        startMillis * 1000,
        (startMillis + 10_000) * 1000,
        new FrameRef[] {Frames.frame(camera, startMillis + 1, 1f), Frames.frame(camera, ms, 1f)},
        false);
  }

  private static void assertSameFrames(WindowFrames expected, WindowFrames actual, String why) {
    assertEquals(expected.windowStartMicros(), actual.windowStartMicros(), why);
    assertEquals(
        Arrays.stream(expected.frames()).map(FrameRef::captureMicros).toList(),
        Arrays.stream(actual.frames()).map(FrameRef::captureMicros).toList(),
        why);
  }

  private static QueryIn question(String id, String camera, long askedMillis) {
    return new QueryIn(id, camera, "What colour?", askedMillis * 1000, 0, null);
  }

  private void ask(QueryIn q) throws Exception {
    h.processElement(CameraEvent.of(q), t);
  }

  private void arrives(WindowFrames w) throws Exception {
    h.processElement(CameraEvent.of(w), t);
  }

  /** The question tasks sent to the fast path so far. */
  private List<InferenceTask> asked() {
    var q = h.getSideOutput(CameraRouter.QUESTIONS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void aQuestionWaitsForAFreshFrameAndIsAnsweredWithIt() throws Exception {
    h.setProcessingTime(1_000);
    closeWindow("cam-1"); // [0, 10 s): its frame is 50 s older than the question
    ask(question("q1", "cam-1", 60_000));
    assertEquals(List.of(), asked(), "waits: the latest window is 50 s old");

    arrives(soFarWithFrameAt("cam-1", 50_000, 58_500)); // 1.5 s before: not fresh (1 s)
    assertEquals(List.of(), asked());
    WindowFrames withQueryFrame = soFarWithFrameAt("cam-1", 60_000, 60_300);
    arrives(withQueryFrame); // the query keyframe, 0.3 s after the question
    List<InferenceTask> out = asked();
    assertEquals(1, out.size());
    assertEquals("q1", out.get(0).query().queryId());
    assertSameFrames(withQueryFrame, out.get(0).window(), "answered with the window bringing it");
    assertEquals(false, out.get(0).stale());
    assertEquals(60_300_000L, out.get(0).window().newestCaptureMicros());
  }

  @Test
  void aQuestionIsAnsweredAtOnceWhenAFreshFrameIsAlreadyThere() throws Exception {
    closeWindow("cam-1");
    WindowFrames soFar = soFarWithFrameAt("cam-1", 10_000, 19_500);
    arrives(soFar);
    ask(question("q1", "cam-1", 20_000)); // the newest frame is 0.5 s old
    List<InferenceTask> out = asked();
    assertEquals(1, out.size());
    assertSameFrames(soFar, out.get(0).window(), "the freshest window, not the last closed one");
    assertEquals(false, out.get(0).stale());
  }

  @Test
  void whenNoFreshFrameComesTheTimerAnswersFromTheFreshestWindowMarkedStale() throws Exception {
    h.setProcessingTime(1_000);
    closeWindow("cam-1");
    WindowFrames soFar = soFarWithFrameAt("cam-1", 10_000, 15_000);
    arrives(soFar);
    arrives(window("cam-1", 10_000, 20_000)); // closed, its newest frame is older
    ask(question("q1", "cam-1", 60_000));
    h.setProcessingTime(1_999);
    assertEquals(List.of(), asked(), "waits ask.freshFrameWait (1 s)");
    h.setProcessingTime(2_000);
    List<InferenceTask> out = asked();
    assertEquals(1, out.size());
    assertSameFrames(soFar, out.get(0).window(), "the window with the camera's newest frame");
    assertEquals(true, out.get(0).stale(), "answered OFFLINE, with the frame's age");
  }

  @Test
  void aQuestionAboutACameraWithoutFramesIsAnsweredAsUnknownAfterTheWait() throws Exception {
    h.setProcessingTime(1_000);
    ask(question("q1", "cam-x", 60_000));
    h.setProcessingTime(2_000);
    List<InferenceTask> out = asked();
    assertEquals(1, out.size());
    assertNull(out.get(0).window(), "no window: UNKNOWN_CAMERA");
  }

  @Test
  void aQuestionIsAnsweredOnceOnly() throws Exception {
    h.setProcessingTime(1_000);
    closeWindow("cam-1");
    QueryIn q = question("q1", "cam-1", 60_000);
    ask(q);
    ask(q); // delivered twice while waiting
    arrives(soFarWithFrameAt("cam-1", 60_000, 60_100));
    arrives(soFarWithFrameAt("cam-1", 60_000, 60_600)); // another fresh frame
    h.setProcessingTime(10_000); // its timer fires: nothing left to answer
    assertEquals(1, asked().size(), "one task: " + asked());
  }

  @Test
  void aQuestionIsNotHeldPastItsDeadline() throws Exception {
    h.setProcessingTime(1_000);
    closeWindow("cam-1");
    // Asked at 60 s of capture time; deadline (wall time) 0.3 s after it arrives, before the 1 s
    // wait for a fresh frame is over.
    ask(new QueryIn("q1", "cam-1", "What colour?", 60_000_000, 1_300_000, null));
    h.setProcessingTime(1_300);
    assertEquals(List.of(), asked());
    h.setProcessingTime(1_301);
    assertEquals(1, asked().size(), "sent at its deadline: the inference function says EXPIRED");
  }

  @Test
  void waitingQuestionsAreAnsweredWhenABoundedInputEnds() throws Exception {
    h.setProcessingTime(1_000);
    closeWindow("cam-1");
    ask(question("q1", "cam-1", 60_000));
    h.processWatermark(Long.MAX_VALUE); // the final watermark of a bounded input
    h.processBroadcastWatermark(Long.MAX_VALUE);
    assertEquals(1, asked().size(), "no frame can come any more: answered from what there is");
    assertEquals(true, asked().get(0).stale());
  }

  @Test
  void marksQuestionsAboutUnknownCamerasByLeavingTheWindowEmpty() throws Exception {
    h.setProcessingTime(1_000);
    h.processElement(CameraEvent.of(new QueryIn("q1", "cam-x", "Anyone?", 1, 0, null)), 1);
    h.setProcessingTime(5_000);
    InferenceTask ask = asked().get(0);
    assertNull(ask.window());
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void forgetsACamerasLatestWindowADayAfterItsLastWindow() throws Exception {
    h.setStateTtlProcessingTime(0);
    closeWindow("cam-1");
    h.setStateTtlProcessingTime(StateTtl.AFTER_LAST_WRITE.toMillis() + 1);
    h.setProcessingTime(1_000);
    h.processElement(CameraEvent.of(new QueryIn("q1", "cam-1", "Anyone?", 1, 0, null)), t);
    h.setProcessingTime(5_000);
    List<InferenceTask> out = asked();
    assertNull(out.get(out.size() - 1).window(), "its keyframes are gone with it");
  }
}
