package io.streamsight.deploy.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.ScoreMethod;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.remote.OpenAiCompatibleModel;
import io.streamsight.vlm.remote.RemoteModelConfig;
import io.streamsight.vlm.serve.ServeConfig;
import io.streamsight.vlm.serve.ServeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote model ({@link OpenAiCompatibleModel}) against a real {@code streamsight serve} on the
 * fixture model (it names the dominant colour, answers yes/no on a named colour): no double on
 * either side of the wire. The server is asked without a model name, so the client's "the server's
 * only model" rule is exercised too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteModelAgainstServeIT {
  private static final GenerationOptions OPTIONS =
      GenerationOptions.greedy(16, ImageBudget.PUBLISHED);

  private ServeServer server;
  private OpenAiCompatibleModel remote;
  private VlmEngine local;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("colours"));
    server =
        ServeServer.start(
            ServeConfig.defaults("colours").withBind("127.0.0.1", 0),
            null,
            () -> VlmEngine.load(dir, EngineConfig.CPU));
    server.awaitReady(Duration.ofSeconds(90));
    remote = OpenAiCompatibleModel.open(RemoteModelConfig.of(server.baseUrl().toString(), null));
    local = VlmEngine.load(dir, EngineConfig.CPU);
  }

  @AfterAll
  void stop() {
    if (remote != null) {
      remote.close();
    }
    if (server != null) {
      server.close();
    }
    if (local != null) {
      local.close();
    }
  }

  @Test
  void shouldDescribeAWindowByNamingItsColourWithTheServersUsage() {
    List<VlmResult> r =
        remote.run(
            List.of(
                new VlmRequest(
                    Task.DESCRIBE,
                    List.of(SolidJpegs.of("red"), SolidJpegs.of("red")),
                    "Describe the scene.",
                    OPTIONS),
                new VlmRequest(
                    Task.DESCRIBE,
                    List.of(SolidJpegs.of("blue")),
                    "Describe the scene.",
                    OPTIONS)));
    assertEquals(2, r.size());
    assertEquals(FinishReason.STOP, r.get(0).finishReason(), String.valueOf(r.get(0).error()));
    assertTrue(r.get(0).text().contains("red"), r.get(0).text());
    assertTrue(r.get(1).text().contains("blue"), r.get(1).text());
    assertTrue(r.get(0).promptTokens() > 0, "usage from the server: " + r.get(0));
    assertTrue(r.get(0).generatedTokens() > 0, "usage from the server: " + r.get(0));
    assertEquals("colours", remote.modelId());
  }

  @Test
  void shouldAnswerAQuestionAboutTheFrames() {
    VlmResult r =
        remote
            .run(
                List.of(
                    new VlmRequest(
                        Task.ASK,
                        List.of(SolidJpegs.of("green")),
                        "What colour dominates?",
                        OPTIONS)))
            .get(0);
    assertEquals(FinishReason.STOP, r.finishReason(), String.valueOf(r.error()));
    assertTrue(r.text().contains("green"), r.text());
  }

  @Test
  void shouldScoreFromLogprobsCloseToTheInProcessEngine() {
    for (String[] c :
        new String[][] {{"yellow", "Is the scene yellow?"}, {"yellow", "Is the scene red?"}}) {
      VlmRequest score = new VlmRequest(Task.SCORE, List.of(SolidJpegs.of(c[0])), c[1], OPTIONS);
      VlmResult over = remote.run(List.of(score)).get(0);
      VlmResult in = local.run(List.of(score)).get(0);
      assertEquals(FinishReason.SCORED, over.finishReason(), String.valueOf(over.error()));
      assertEquals(ScoreMethod.LOGPROBS, over.scoreMethod(), c[1]);
      assertEquals(ScoreMethod.LOGITS, in.scoreMethod(), c[1]);
      assertEquals(in.pYes(), over.pYes(), 0.02, c[1] + ": over the wire vs in process");
    }
    VlmRequest yes =
        new VlmRequest(
            Task.SCORE, List.of(SolidJpegs.of("yellow")), "Is the scene yellow?", OPTIONS);
    assertTrue(remote.run(List.of(yes)).get(0).pYes() > 0.9);
  }
}
