package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.fixture.ModelDims;
import io.streamsight.vlm.fixture.RandomIdefics3Model;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The random-weight generator (used by the benchmark at SmolVLM-256M size) writes a model the
 * engine runs end to end: Llama decoder with RoPE and grouped-query attention over the KV cache.
 */
class RandomSizedModelIT {
  @Test
  void shouldRunARandomModelOfTheSameArchitectureBatchedAndAlone(@TempDir Path tmp) {
    Path dir = RandomIdefics3Model.write(tmp.resolve("tiny"), ModelDims.TINY, 7);
    try (VlmEngine engine = VlmEngine.load(dir, EngineConfig.CPU)) {
      byte[] a = TestImages.solid("red", 320, 180, "jpg");
      byte[] b = TestImages.withSquare("white", "blue", 0.3, 100, 200);
      GenerationOptions o = GenerationOptions.greedy(12, ImageBudget.PUBLISHED);
      List<VlmRequest> reqs =
          List.of(
              new VlmRequest(Task.DESCRIBE, List.of(a), "Describe the image.", o),
              new VlmRequest(
                  Task.DESCRIBE, List.of(a, b), "Summarise what happens across these frames.", o),
              new VlmRequest(Task.SCORE, List.of(b), "Is the scene blue?", o));
      List<VlmResult> batched = engine.run(reqs);
      for (int i = 0; i < reqs.size(); i++) {
        VlmResult one = engine.run(List.of(reqs.get(i))).get(0);
        assertTrue(one.error() == null, one.error());
        assertArrayEquals(one.tokenIds(), batched.get(i).tokenIds(), "request " + i);
      }
      assertEquals(FinishReason.SCORED, batched.get(2).finishReason());
      assertEquals(batched.get(2).pYes(), engine.run(List.of(reqs.get(2))).get(0).pYes(), 1e-4);
      assertEquals(
          ModelDims.TINY.tokensPerTile() * 5, batched.get(0).timings().imageTokensPerFrame());
    }
  }
}
