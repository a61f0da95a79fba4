package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InferenceAsyncFunctionTest {
  /** Describes every window; scores "broken" questions as failed, every other one 0.8. */
  record BrokenRuleModel(String key) implements ModelProvider {
    @Override
    public VisionLanguageModel open() {
      return new VisionLanguageModel() {
        @Override
        public String modelId() {
          return "broken-rule";
        }

        @Override
        public List<VlmResult> run(List<VlmRequest> requests) {
          Timings t = new Timings(0, 0, 0, 0, 0, 0, 0, requests.size());
          return requests.stream()
              .map(
                  r ->
                      r.task() != Task.SCORE
                          ? new VlmResult(
                              "a scene", new long[0], Double.NaN, 1, 1, FinishReason.STOP, t, null)
                          : r.text().contains("broken")
                              ? VlmResult.failed("scoring blew up", t)
                              : new VlmResult(
                                  "", new long[0], 0.8, 1, 1, FinishReason.SCORED, t, null))
              .toList();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void aFailedScoreIsNaNAndCountedNeverAZero() throws Exception {
    InferenceAsyncFunction fn =
        new InferenceAsyncFunction(
            new BrokenRuleModel("broken-rule-" + System.nanoTime()), OperatorConfig.defaults());
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            new AsyncWaitOperatorFactory<>(fn, 30_000, 4, OutputMode.ORDERED),
            TypeInformation.of(InferenceTask.class).createSerializer(new SerializerConfigImpl()));
    h.open();
    Rule broken = new Rule("broken", "*", "Is it broken?", 0.5, 0, "HIGH", true);
    Rule fine = new Rule("fine", "*", "Is it fine?", 0.5, 0, "HIGH", true);
    FrameRef f = new FrameRef("cam-1", 1000, 1, "cameras.keyframes", 0, 1, 1f, false);
    ImageCache.shared().put(f, new byte[] {1});
    WindowFrames w = new WindowFrames("cam-1", 0, 10_000_000, new FrameRef[] {f}, false);
    h.processElement(
        new InferenceTask("cam-1", w, "Describe.", new Rule[] {broken, fine}, null), 0);
    h.endInput();
    List<InferenceOutcome> out = h.extractOutputValues();
    h.close();

    assertEquals(1, out.size());
    double[] p = out.get(0).pYes();
    assertTrue(Double.isNaN(p[0]), "the failed score is unknown, not 'no': " + p[0]);
    assertEquals(0.8, p[1], 1e-9);
    assertEquals("a scene", out.get(0).text(), "the window is still summarised");
    assertEquals(1, fn.ruleScoresFailedCount());
  }

  @Test
  void aWindowSoFarIsOnlyScoredAndAQuestionOnlyAsked() throws Exception {
    InferenceAsyncFunction fn =
        new InferenceAsyncFunction(
            new BrokenRuleModel("so-far-" + System.nanoTime()), OperatorConfig.defaults());
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            new AsyncWaitOperatorFactory<>(fn, 30_000, 4, OutputMode.ORDERED),
            TypeInformation.of(InferenceTask.class).createSerializer(new SerializerConfigImpl()));
    h.open();
    Rule fine = new Rule("fine", "*", "Is it fine?", 0.5, 0, "HIGH", true);
    FrameRef f = new FrameRef("cam-1", 1000, 1, "cameras.keyframes", 0, 1, 1f, false);
    ImageCache.shared().put(f, new byte[] {1});
    WindowFrames w = new WindowFrames("cam-1", 0, 10_000_000, new FrameRef[] {f}, false);
    h.processElement(new InferenceTask("cam-1", w, null, new Rule[] {fine}, null), 0);
    QueryIn q = new QueryIn("q1", "cam-1", "What?", 1, 0, null);
    h.processElement(new InferenceTask("cam-1", w, null, new Rule[0], q), 0);
    h.endInput();
    List<InferenceOutcome> out = h.extractOutputValues();
    h.close();

    assertEquals(2, out.size());
    assertEquals(TaskFinish.SCORED, out.get(0).finish());
    assertEquals(0.8, out.get(0).pYes()[0], 1e-9);
    assertEquals("", out.get(0).text(), "no describe call for a window so far");
    assertEquals("a scene", out.get(1).text(), "the question is answered");
    assertEquals(0, out.get(1).pYes().length);
    assertEquals(0, fn.ruleScoresFailedCount());
  }

  @Test
  void aWindowWhoseImagesCannotBeReadIsSummarisedWithoutThemOrReported() throws Exception {
    InferenceAsyncFunction fn =
        new InferenceAsyncFunction(
            new BrokenRuleModel("unread-" + System.nanoTime()), OperatorConfig.defaults());
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            new AsyncWaitOperatorFactory<>(fn, 30_000, 4, OutputMode.ORDERED),
            TypeInformation.of(InferenceTask.class).createSerializer(new SerializerConfigImpl()));
    h.open();
    FrameRef cached = new FrameRef("cam-u", 1000, 1, "cameras.keyframes", 3, 1, 1f, false);
    ImageCache.shared().put(cached, new byte[] {1});
    // Not cached, and a job without Kafka sources cannot read it back.
    FrameRef lost = new FrameRef("cam-u", 2000, 2, "cameras.keyframes", 3, 2, 1f, false);
    WindowFrames both =
        new WindowFrames("cam-u", 0, 10_000_000, new FrameRef[] {cached, lost}, true);
    WindowFrames onlyLost = new WindowFrames("cam-u", 0, 10_000_000, new FrameRef[] {lost}, true);
    h.processElement(new InferenceTask("cam-u", both, "Describe.", new Rule[0], null), 0);
    h.processElement(new InferenceTask("cam-u", onlyLost, "Describe.", new Rule[0], null), 0);
    h.endInput();
    List<InferenceOutcome> out = h.extractOutputValues();
    h.close();

    assertEquals("a scene", out.get(0).text());
    assertEquals(List.of(cached), List.of(out.get(0).task().window().frames()));
    assertEquals(TaskFinish.FRAMES_UNAVAILABLE, out.get(1).finish());
    assertTrue(
        out.get(1).error().contains("cameras.keyframes[3]@2"), "names the frame: " + out.get(1));
  }
}
