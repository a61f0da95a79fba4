package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.runtime.ExecutionProvider;
import io.streamsight.vlm.runtime.RuntimeConfig;
import io.streamsight.vlm.runtime.SessionFactory.UnavailableProviderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models fail at load with a precise message; bad requests come back as ERROR results. */
class BadInputIT {
  static final GenerationOptions OPTS = GenerationOptions.greedy(8, ImageBudget.GLOBAL_ONLY);

  @Test
  void shouldNameTheMissingFiles(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    Files.delete(dir.resolve("onnx/embed_tokens.onnx"));
    Files.delete(dir.resolve("tokenizer.json"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> VlmEngine.load(dir, EngineConfig.CPU));
    assertTrue(e.getMessage().contains("onnx/embed_tokens.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    assertThrows(
        ModelLoadException.class, () -> VlmEngine.load(tmp.resolve("nowhere"), EngineConfig.CPU));
  }

  @Test
  void shouldListExpectedAndFoundTensorNames(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    Files.copy(
        dir.resolve("onnx/vision_encoder.onnx"),
        dir.resolve("onnx/embed_tokens.onnx"),
        StandardCopyOption.REPLACE_EXISTING);
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> VlmEngine.load(dir, EngineConfig.CPU));
    assertTrue(e.getMessage().contains("expected inputs [input_ids]"), e.getMessage());
    assertTrue(
        e.getMessage().contains("found inputs [pixel_attention_mask, pixel_values]"),
        e.getMessage());
  }

  @Test
  void shouldRejectAnUnknownModelFamilyByName(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"idefics3\"", "\"llava_next\""));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> VlmEngine.load(dir, EngineConfig.CPU));
    assertTrue(e.getMessage().contains("unknown model_type 'llava_next'"), e.getMessage());
    assertTrue(e.getMessage().contains("idefics3, smolvlm"), e.getMessage());
  }

  @Test
  void shouldRefuseAnExplicitlyRequestedProviderThatIsMissing(@TempDir Path tmp) {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    EngineConfig cuda =
        EngineConfig.CPU.withRuntime(RuntimeConfig.CPU.withProvider(ExecutionProvider.CUDA));
    UnavailableProviderException e =
        assertThrows(UnavailableProviderException.class, () -> VlmEngine.load(dir, cuda));
    assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    // auto falls back (logged) to the CPU
    try (VlmEngine auto = VlmEngine.load(dir, EngineConfig.CPU.withRuntime(RuntimeConfig.AUTO))) {
      assertEquals(ExecutionProvider.CPU, auto.executionProvider());
    }
  }

  @Test
  void shouldFailOnlyTheRequestWithAnUnreadableImageOrAnOverlongPrompt(@TempDir Path tmp) {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    try (VlmEngine engine = VlmEngine.load(dir, EngineConfig.CPU.withMaxPromptTokens(60))) {
      byte[] red = TestImages.solid("red", 64, 64, "png");
      List<VlmResult> r =
          engine.run(
              List.of(
                  new VlmRequest(
                      Task.DESCRIBE, List.of(red, "not an image".getBytes()), "Describe", OPTS),
                  new VlmRequest(Task.DESCRIBE, List.of(red), "Describe", OPTS),
                  new VlmRequest(
                      Task.DESCRIBE, java.util.Collections.nCopies(10, red), "Describe", OPTS)));
      assertEquals(FinishReason.ERROR, r.get(0).finishReason());
      assertTrue(r.get(0).error().contains("image 1: unreadable image"), r.get(0).error());
      assertEquals("red", r.get(1).text());
      assertEquals(FinishReason.ERROR, r.get(2).finishReason());
      assertTrue(r.get(2).error().contains("limit is 60"), r.get(2).error());
    }
  }
}
