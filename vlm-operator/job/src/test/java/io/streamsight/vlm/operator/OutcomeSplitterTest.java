package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.soFar;
import static io.streamsight.vlm.operator.Frames.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutcomeSplitterTest {
  private static InferenceOutcome outcome(InferenceTask t, TaskFinish f, String error) {
    return new InferenceOutcome(t, "m", "", f, new double[0], CallTimings.NONE, error, 0);
  }

  @Test
  void shouldDeadLetterASummaryWithoutImagesAndPassEverythingElse() throws Exception {
    var h = ProcessFunctionTestHarnesses.forProcessFunction(new RejectionSplitters.Outcomes());
    WindowFrames w = window("cam-1", 0, 10_000);
    String why = "keyframe cameras.keyframes[0]@1 (camera cam-1): deleted from the topic";
    h.processElement(
        outcome(
            new InferenceTask("cam-1", w, "Describe.", new Rule[0], null),
            TaskFinish.FRAMES_UNAVAILABLE,
            why),
        0);
    h.processElement(
        outcome(
            new InferenceTask("cam-1", soFar("cam-1", 0, 10_000), null, new Rule[0], null),
            TaskFinish.FRAMES_UNAVAILABLE,
            why),
        0);
    QueryIn q = new QueryIn("q1", "cam-1", "What?", 1, 0, null);
    InferenceOutcome answer =
        outcome(
            new InferenceTask("cam-1", w, null, new Rule[0], q),
            TaskFinish.FRAMES_UNAVAILABLE,
            why);
    h.processElement(answer, 0);
    InferenceOutcome fine =
        outcome(
            new InferenceTask("cam-1", w, "Describe.", new Rule[0], null), TaskFinish.STOP, null);
    h.processElement(fine, 0);

    List<InferenceOutcome> passed = h.extractOutputValues();
    assertEquals(2, passed.size(), "the question (answered with its error) and the fine summary");
    assertTrue(passed.get(0).task().isQuery());
    assertEquals(TaskFinish.STOP, passed.get(1).finish());
    var dead = h.getSideOutput(RejectionSplitters.DEAD_LETTERS);
    assertEquals(1, dead.size(), "one dead letter: the summary; the early score is dropped");
    DeadLetter d = ((StreamRecord<DeadLetter>) dead.peek()).getValue();
    assertEquals("FramesUnavailable", d.getErrorClass());
    assertEquals(1, d.getOffset());
    assertTrue(d.getErrorMessage().contains(why), d.getErrorMessage());
  }
}
