package io.streamsight.vlm.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.model.ModelVariant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVariantTest {
  @Test
  void eachVariantMapsToItsPublishedFileSuffix() {
    assertEquals(
        List.of(
            "onnx/vision_encoder.onnx", "onnx/embed_tokens.onnx", "onnx/decoder_model_merged.onnx"),
        ModelFiles.graphs(ModelVariant.parse("fp32")));
    assertEquals("_q4f16", ModelVariant.parse("Q4F16").suffix());
    assertEquals("_uint8", ModelVariant.parse("uint8").suffix());
    assertEquals("_quantized", ModelVariant.parse("quantized").suffix());
    assertEquals("_int8", ModelVariant.parse("int8").suffix());
  }

  @Test
  void anUnknownVariantListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelVariant.parse("bf16"));
    assertTrue(e.getMessage().contains("bf16") && e.getMessage().contains("q4f16"));
  }

  @Test
  void defaultsComeFromTheEnvironmentAndTheRepoName() {
    PullConfig c =
        PullConfig.resolve(
            PullConfig.DEFAULT_REPO, "main", ModelVariant.Q4, null, null, Map.of("HF_TOKEN", "t"));
    assertEquals("https://huggingface.co", c.endpoint().toString());
    assertEquals("t", c.token());
    assertTrue(
        c.dir()
            .endsWith(Path.of(".streamsight", "models", "HuggingFaceTB--SmolVLM-256M-Instruct")));
    assertEquals(
        Path.of("/h/.streamsight/models/a--b@v1.0"),
        PullConfig.defaultDir(Path.of("/h"), "a/b", "v1.0"));
    PullConfig mirror =
        PullConfig.resolve(
            "a/b",
            "main",
            ModelVariant.Q4,
            null,
            null,
            Map.of("HF_ENDPOINT", "http://m:8080/"),
            true);
    assertEquals("http://m:8080", mirror.endpoint().toString());
  }

  @Test
  void aBadRepoNameIsRejectedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PullConfig.resolve("../etc", "main", ModelVariant.Q4, null, null, Map.of()));
    assertTrue(e.getMessage().startsWith("repo:"), e.getMessage());
  }

  @Test
  void theProgressLineShowsBytesPercentAndRate() {
    ProgressBar bar = new ProgressBar(System.err, () -> 0L);
    bar.started("onnx/x.onnx", 0, 4L << 20);
    String line = bar.line("onnx/x.onnx", 1L << 20, 4L << 20, 1_000_000_000L);
    assertTrue(line.contains(" 25%"), line);
    assertTrue(line.contains("1.0 MiB / 4.0 MiB"), line);
    assertTrue(line.contains("1.0 MiB/s"), line);
  }
}
