package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.operator.config.CameraOverride;
import io.streamsight.vlm.operator.config.ModelDeclaration;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.TaskModels;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routing in the scoring step: each task goes to the models named for it and its camera, a spent
 * budget or a dead server hands work to the next model, and work no model can take is shed and
 * counted (a question is answered with the error) instead of failing the job.
 */
@Timeout(60)
class ModelRoutingTest {
  /** A config declaring {@code names} (servers never opened: the test doubles stand in). */
  private static OperatorConfig declaring(TaskModels tasks, List<CameraOverride> cameras) {
    Map<String, ModelDeclaration> m = new LinkedHashMap<>();
    for (String n : List.of("big", "small", "local")) {
      m.put(n, ModelDeclaration.of(RemoteModelConfig.of("http://127.0.0.1:9/v1", n)));
    }
    return OperatorConfig.defaults().withModels(m, tasks).withCameras(cameras);
  }

  private static TaskModels summaries(String... names) {
    return new TaskModels(List.of(names), null, List.of(names), null, null);
  }

  private static WindowFrames window(String camera, long offset, boolean closed) {
    FrameRef f = new FrameRef(camera, offset * 1000, 1, "cameras.keyframes", 1, offset, 1f, false);
    ImageCache.shared().put(f, new byte[] {1});
    return new WindowFrames(camera, 0, 10_000_000, new FrameRef[] {f}, closed);
  }

  private static InferenceTask summary(String camera, long offset) {
    return new InferenceTask(camera, window(camera, offset, true), "Describe.", new Rule[0], null);
  }

  private static List<InferenceOutcome> run(InferenceAsyncFunction fn, InferenceTask... tasks)
      throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            // Capacity 1: one task at a time, so the budget is charged before the next is sent.
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
  void aCameraKeptLocalIsDescribedByItsOwnModel() throws Exception {
    String s = "-" + System.nanoTime();
    OperatorConfig c =
        declaring(
            summaries("big"),
            List.of(
                new CameraOverride(
                    "lobby-*",
                    null,
                    null,
                    null,
                    null,
                    new TaskModels(List.of("local"), List.of("local"), null, null, null))));
    Models models =
        Models.named(
            Map.of(
                "big", ScriptedModelProvider.scoring("big" + s, 0.9, "from the server"),
                "local", ScriptedModelProvider.scoring("local" + s, 0.9, "from the building")));
    List<InferenceOutcome> out =
        run(
            InferenceAsyncFunction.forWindows(models, c, FrameFetcher.none()),
            summary("lobby-1", 1),
            summary("yard", 2));
    assertEquals("from the building", out.get(0).text());
    assertEquals("local" + s, out.get(0).modelId());
    assertEquals("from the server", out.get(1).text());
  }

  @Test
  void aSpentBudgetFallsBackToTheNextModelThenSheds() throws Exception {
    String s = "-" + System.nanoTime();
    // One token an hour: the first summary spends it (10 + 1 tokens), the next falls back.
    Models fallback =
        Models.named(
            Map.of(
                "big",
                new BudgetedModelProvider(ScriptedModelProvider.scoring("big" + s, 0, "big"), 1),
                "small",
                ScriptedModelProvider.scoring("small" + s, 0, "small")));
    List<InferenceOutcome> out =
        run(
            InferenceAsyncFunction.forWindows(
                fallback, declaring(summaries("big", "small"), List.of()), FrameFetcher.none()),
            summary("cam-1", 1),
            summary("cam-1", 2));
    assertEquals(List.of("big", "small"), out.stream().map(InferenceOutcome::text).toList());

    Models alone =
        Models.named(
            Map.of(
                "big",
                new BudgetedModelProvider(
                    ScriptedModelProvider.scoring("alone" + s, 0, "big"), 1)));
    InferenceAsyncFunction fn =
        InferenceAsyncFunction.forWindows(
            alone, declaring(summaries("big"), List.of()), FrameFetcher.none());
    out = run(fn, summary("cam-1", 1), summary("cam-1", 2));
    assertEquals(TaskFinish.STOP, out.get(0).finish());
    assertEquals(TaskFinish.SHED, out.get(1).finish(), "no model left: shed");
    assertEquals(1, fn.windowsShedCount());
    assertEquals(1, fn.modelUnavailableShedCount());
  }

  @Test
  void aDeadServerShedsWindowWorkAndAnswersQuestionsWithTheError() throws Exception {
    String s = "-" + System.nanoTime();
    Models models = Models.single(ScriptedModelProvider.unavailable("dead" + s));
    InferenceAsyncFunction fn =
        new InferenceAsyncFunction(
            models, OperatorConfig.defaults(), FrameFetcher.none(), models.names());
    Rule rule = new Rule("r", "*", "Is it?", 0.5, 0, "HIGH", true);
    QueryIn q = new QueryIn("q1", "cam-1", "What?", 1, 0, null);
    List<InferenceOutcome> out =
        run(
            fn,
            summary("cam-1", 1),
            new InferenceTask("cam-1", window("cam-1", 2, false), null, new Rule[] {rule}, null),
            InferenceTask.question(q, window("cam-1", 3, false), false));

    assertEquals(TaskFinish.SHED, out.get(0).finish(), "the summary: shed, not a failed job");
    assertEquals(TaskFinish.SHED, out.get(1).finish(), "the rule scores too");
    assertEquals(2, fn.windowsShedCount());
    assertEquals(2, fn.modelUnavailableShedCount());
    assertEquals(TaskFinish.ERROR, out.get(2).finish(), "a person waits: an answer, with why");
    assertTrue(out.get(2).error().contains("connection refused"), out.get(2).error());
  }

  @Test
  void aDeadServerFirstInTheListHandsItsWorkToTheNext() throws Exception {
    String s = "-" + System.nanoTime();
    Models models =
        Models.named(
            Map.of(
                "big", ScriptedModelProvider.unavailable("dead" + s),
                "small", ScriptedModelProvider.scoring("small" + s, 0, "small")));
    InferenceAsyncFunction fn =
        InferenceAsyncFunction.forWindows(
            models, declaring(summaries("big", "small"), List.of()), FrameFetcher.none());
    List<InferenceOutcome> out = run(fn, summary("cam-1", 1));
    assertEquals("small", out.get(0).text());
    assertEquals(0, fn.windowsShedCount());
  }
}
