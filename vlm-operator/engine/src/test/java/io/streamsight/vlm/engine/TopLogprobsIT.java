package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.TokenLogprobs;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Per-token log-probabilities of the fixture model, next to its own yes/no score. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopLogprobsIT {
  private VlmEngine engine;

  @BeforeAll
  void load(@TempDir Path tmp) {
    engine = VlmEngine.load(VlmFixtureModel.write(tmp.resolve("fixture")), EngineConfig.CPU);
  }

  @AfterAll
  void close() {
    engine.close();
  }

  private static final GenerationOptions ONE = GenerationOptions.greedy(1, ImageBudget.GLOBAL_ONLY);

  @Test
  void shouldGiveTheFirstTokensTopLogprobsThatAgreeWithTheScore() {
    for (String colour : List.of("blue", "red")) {
      List<byte[]> frames = FixtureModelIT.frames(colour, colour);
      String q = "Is the scene blue?";
      VlmResult score = engine.score(frames, q, ImageBudget.GLOBAL_ONLY);
      VlmResult asked = engine.ask(frames, q, ONE.withTopLogprobs(5));

      assertEquals(1, asked.logprobs().size());
      TokenLogprobs first = asked.logprobs().get(0);
      assertEquals(asked.tokenIds()[0], first.tokenId());
      assertEquals(asked.text(), first.token());
      assertEquals(5, first.top().size());
      assertEquals(first.tokenId(), first.top().get(0).tokenId(), "greedy picks the most likely");
      for (int i = 1; i < first.top().size(); i++) {
        assertTrue(first.top().get(i - 1).logprob() >= first.top().get(i).logprob());
      }
      Map<String, Double> p =
          first.top().stream()
              .collect(
                  Collectors.toMap(
                      TokenLogprobs.Candidate::token, c -> Math.exp(c.logprob()), Double::sum));
      assertTrue(p.containsKey("Yes") && p.containsKey("No"), "top 5: " + p.keySet());
      // The engine's score is p("Yes") / (p("Yes") + p("No")) from the same logits.
      assertEquals(score.pYes(), p.get("Yes") / (p.get("Yes") + p.get("No")), 1e-5, colour);
    }
  }

  @Test
  void shouldLeaveResultsUnchangedAndReportEveryGeneratedToken() {
    List<byte[]> frames = FixtureModelIT.frames("red", "green", "blue");
    GenerationOptions sixteen = GenerationOptions.greedy(16, ImageBudget.GLOBAL_ONLY);
    List<VlmResult> plain =
        engine.run(
            List.of(
                new VlmRequest(Task.DESCRIBE, frames, "Describe the image.", sixteen),
                new VlmRequest(Task.SCORE, frames, "Is the scene blue?", sixteen)));
    List<VlmResult> with =
        engine.run(
            List.of(
                new VlmRequest(
                    Task.DESCRIBE, frames, "Describe the image.", sixteen.withTopLogprobs(3)),
                new VlmRequest(Task.SCORE, frames, "Is the scene blue?", sixteen)));
    assertEquals("red green blue", with.get(0).text());
    assertEquals(plain.get(0).text(), with.get(0).text());
    assertArrayEquals(plain.get(0).tokenIds(), with.get(0).tokenIds());
    assertEquals(plain.get(1).pYes(), with.get(1).pYes(), 0.0);
    assertEquals(List.of(), plain.get(0).logprobs());
    assertEquals(List.of(), with.get(1).logprobs(), "a score has no generated tokens");
    List<TokenLogprobs> lps = with.get(0).logprobs();
    assertEquals(with.get(0).tokenIds().length, lps.size());
    for (int i = 0; i < lps.size(); i++) {
      assertEquals(with.get(0).tokenIds()[i], lps.get(i).tokenId());
      assertEquals(3, lps.get(i).top().size());
      assertTrue(lps.get(i).logprob() <= 0);
    }
  }
}
