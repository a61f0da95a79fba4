package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.generation.PreparedRequest;
import io.streamsight.vlm.preprocess.ProcessedImage;
import io.streamsight.vlm.prompt.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance with an outside reference: transformers' own prompts, input ids, pixel tensors,
 * greedy generations and yes/no log-probs for a tiny random Idefics3 (README in
 * src/test/resources/reference). Input ids and pixel shapes must match on every case; on exact
 * cases (power-of-two resizes) also pixel sums, generated ids and p(yes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceConformanceIT {
  private VlmEngine engine;
  private Path dir;

  @BeforeAll
  void load() {
    dir = ReferenceModel.dir();
    engine = VlmEngine.load(dir, EngineConfig.CPU);
  }

  @AfterAll
  void close() {
    engine.close();
  }

  static Stream<JsonNode> cases() throws Exception {
    JsonNode ref =
        new ObjectMapper().readTree(ReferenceModel.dir().resolve("reference.json").toFile());
    List<JsonNode> l = new ArrayList<>();
    ref.path("cases").forEach(l::add);
    return l.stream();
  }

  private List<byte[]> images(JsonNode c) {
    List<byte[]> l = new ArrayList<>();
    if (c.has("image")) {
      l.add(ReferenceModel.read(dir.resolve(c.path("image").asText())));
    } else {
      c.path("images").forEach(n -> l.add(ReferenceModel.read(dir.resolve(n.asText()))));
    }
    return l;
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void shouldReproduceInputIdsAndPixelTensor(JsonNode c) {
    VlmRequest req =
        new VlmRequest(
            Task.ASK,
            images(c),
            c.path("question").asText(),
            GenerationOptions.greedy(16, ImageBudget.PUBLISHED));
    PreparedRequest p = engine.prepare(req, System.nanoTime());
    assertArrayEquals(longs(c.path("input_ids")), p.ids(), "input_ids");
    String rendered =
        new ChatTemplate(engine.directory().chatTemplate()).render(req.images().size(), req.text());
    assertEquals(c.path("prompt").asText(), rendered, "rendered chat template");
    JsonNode shape = c.path("pixel_values_shape");
    assertEquals(shape.get(1).asInt(), p.tiles(), "tiles (pixel_values_shape[1])");
    int tile = p.images().get(0).tileSize();
    assertEquals(shape.get(3).asInt(), tile);
    assertEquals(shape.get(4).asInt(), tile);
    if (c.path("exact").asBoolean()) {
      double sum = 0;
      double abs = 0;
      for (ProcessedImage img : p.images()) {
        for (float[] t : img.tiles()) {
          for (float v : t) {
            sum += v;
            abs += Math.abs(v);
          }
        }
      }
      assertEquals(c.path("pixel_values_sum").asDouble(), sum, 1e-2, "pixel sum");
      assertEquals(c.path("pixel_values_abs_sum").asDouble(), abs, 1e-2, "pixel abs sum");
    }
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void shouldReproduceGreedyGenerationAndYesNoProbability(JsonNode c) {
    if (!c.path("exact").asBoolean()) {
      return; // nearest-neighbour conventions legitimately differ on odd sizes (README)
    }
    String q = c.path("question").asText();
    VlmResult gen = engine.ask(images(c), q, GenerationOptions.greedy(16, ImageBudget.PUBLISHED));
    assertTrue(gen.error() == null, gen.error());
    assertArrayEquals(longs(c.path("generated_ids")), gen.tokenIds(), "generated_ids");
    double ly = c.path("logprob_yes").asDouble();
    double ln = c.path("logprob_no").asDouble();
    double expected = Math.exp(ly) / (Math.exp(ly) + Math.exp(ln));
    VlmResult s = engine.score(images(c), q, ImageBudget.PUBLISHED);
    assertEquals(FinishReason.SCORED, s.finishReason());
    assertEquals(expected, s.pYes(), 2e-3, "p(yes)");
  }

  @Test
  void shouldGiveTheSameResultsBatchedAsOneByOne() throws Exception {
    List<VlmRequest> reqs = new ArrayList<>();
    for (JsonNode c : cases().toList()) {
      Task t = reqs.size() % 3 == 2 ? Task.SCORE : Task.ASK;
      reqs.add(
          new VlmRequest(
              t,
              images(c),
              c.path("question").asText(),
              GenerationOptions.greedy(16, ImageBudget.PUBLISHED)));
    }
    List<VlmResult> batched = engine.run(reqs);
    for (int i = 0; i < reqs.size(); i++) {
      VlmResult one = engine.run(List.of(reqs.get(i))).get(0);
      assertArrayEquals(one.tokenIds(), batched.get(i).tokenIds(), "request " + i);
      assertEquals(one.finishReason(), batched.get(i).finishReason());
      if (reqs.get(i).task() == Task.SCORE) {
        assertEquals(one.pYes(), batched.get(i).pYes(), 1e-4);
      }
      assertTrue(batched.get(i).timings().batchSize() > 1);
    }
  }
}
