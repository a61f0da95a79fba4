package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.rule;
import static io.streamsight.vlm.operator.Frames.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.CameraEvent;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleChange;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
  void aClosedWindowIsDescribedAndNotScoredAgain() throws Exception {
    change("blue", rule("blue", "cam-*", "Is the scene blue?", 0.5, 60_000));
    InferenceTask closed = closeWindow("cam-1");
    assertEquals(OperatorConfig.defaults().instructionFor("cam-1"), closed.instruction());
    assertEquals(List.of(), questions(closed), "its rules were scored as its keyframes came");
  }

  @Test
  void answersQuestionsOverTheCamerasLatestWindow() throws Exception {
    closeWindow("cam-1");
    InferenceTask second = closeWindow("cam-1");
    h.processElement(CameraEvent.of(new QueryIn("q1", "cam-1", "What colour?", 1, 0, null)), t);
    List<InferenceTask> out = h.extractOutputValues();
    InferenceTask ask = out.get(out.size() - 1);
    assertEquals("q1", ask.query().queryId());
    assertEquals(second.window().windowStartMicros(), ask.window().windowStartMicros());
    assertEquals(
        Arrays.stream(second.window().frames()).map(f -> f.sequence()).toList(),
        Arrays.stream(ask.window().frames()).map(f -> f.sequence()).toList());
  }

  @Test
  void marksQuestionsAboutUnknownCamerasByLeavingTheWindowEmpty() throws Exception {
    h.processElement(CameraEvent.of(new QueryIn("q1", "cam-x", "Anyone?", 1, 0, null)), 1);
    InferenceTask ask = h.extractOutputValues().get(0);
    assertNull(ask.window());
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void forgetsACamerasLatestWindowADayAfterItsLastWindow() throws Exception {
    h.setStateTtlProcessingTime(0);
    closeWindow("cam-1");
    h.setStateTtlProcessingTime(StateTtl.AFTER_LAST_WRITE.toMillis() + 1);
    h.processElement(CameraEvent.of(new QueryIn("q1", "cam-1", "Anyone?", 1, 0, null)), t);
    List<InferenceTask> out = h.extractOutputValues();
    assertNull(out.get(out.size() - 1).window(), "its keyframes (JPEGs) are gone with it");
  }
}
