package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.model.ModelSource;
import io.streamsight.vlm.model.ModelVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check that a model directory holds the chosen variant, and its one message. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ModelVariantFilesTest {

  /** A directory with the shared files and the graphs of {@code variants} (empty files). */
  static Path modelDir(Path dir, ModelVariant... variants) throws IOException {
    Files.createDirectories(dir.resolve("onnx"));
    for (String f : ModelDirectory.COMMON_FILES) {
      Files.writeString(dir.resolve(f), "{}");
    }
    for (ModelVariant v : variants) {
      for (String f : ModelDirectory.graphFiles(v)) {
        Files.writeString(dir.resolve(f), "");
      }
    }
    return dir;
  }

  @Test
  void shouldNameTheMissingGraphsTheVariantsPresentAndTheExactPullCommand(@TempDir Path tmp)
      throws IOException {
    Path dir = modelDir(tmp.resolve("HuggingFaceTB--SmolVLM-256M-Instruct"), ModelVariant.Q4);
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> ModelDirectory.requireFiles(dir, ModelVariant.FP32));
    assertEquals(
        dir
            + ": missing files for model variant fp32: [onnx/vision_encoder.onnx,"
            + " onnx/embed_tokens.onnx, onnx/decoder_model_merged.onnx]; it holds q4 (choose one"
            + " with --variant). Fetch them with: streamsight model pull"
            + " HuggingFaceTB/SmolVLM-256M-Instruct --variant fp32 --dir "
            + dir.toAbsolutePath().normalize(),
        e.getMessage());
    assertDoesNotThrow(() -> ModelDirectory.requireFiles(dir, ModelVariant.Q4));
  }

  @Test
  void shouldNameMissingSharedFilesTooInTheSameMessage(@TempDir Path tmp) throws IOException {
    Path dir = modelDir(tmp.resolve("smolvlm"));
    Files.delete(dir.resolve("tokenizer.json"));
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> ModelDirectory.requireFiles(dir, ModelVariant.INT8));
    assertTrue(
        e.getMessage().contains("[tokenizer.json, onnx/vision_encoder_int8.onnx,"), e.getMessage());
    assertTrue(e.getMessage().contains("it holds no complete variant"), e.getMessage());
    // The directory name names no repository: the command says what to fill in.
    assertTrue(e.getMessage().contains("streamsight model pull <hub repo"), e.getMessage());
  }

  @Test
  void shouldTakeTheRepositoryFromThePullRecordFirst(@TempDir Path tmp) throws IOException {
    Path dir = modelDir(tmp.resolve("smolvlm"), ModelVariant.FP32);
    new ModelSource("HuggingFaceTB/SmolVLM-500M-Instruct", "v1.0").writeTo(dir);
    assertEquals(
        "streamsight model pull HuggingFaceTB/SmolVLM-500M-Instruct --revision v1.0 --variant"
            + " q4f16 --dir "
            + dir.toAbsolutePath().normalize(),
        ModelSource.pullCommand(dir, ModelVariant.Q4F16));
    assertEquals("owner/name", ModelSource.of(tmp.resolve("owner--name@dev")).orElseThrow().repo());
    assertEquals("dev", ModelSource.of(tmp.resolve("owner--name@dev")).orElseThrow().revision());
  }

  @Test
  void shouldListTheCompleteVariantsOnly(@TempDir Path tmp) throws IOException {
    Path dir = modelDir(tmp.resolve("m"), ModelVariant.Q4, ModelVariant.FP16);
    Files.writeString(dir.resolve(ModelVariant.INT8.fileName(ModelDirectory.DECODER)), "");
    assertEquals(List.of(ModelVariant.FP16, ModelVariant.Q4), ModelDirectory.variantsIn(dir));
  }

  @Test
  void shouldSayHowToFetchAModelIntoAMissingDirectory(@TempDir Path tmp) {
    Path dir = tmp.resolve("HuggingFaceTB--SmolVLM-256M-Instruct");
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> ModelDirectory.requireFiles(dir, ModelVariant.Q4));
    assertTrue(
        e.getMessage()
            .contains(
                "does not exist; fetch the model with: streamsight model pull"
                    + " HuggingFaceTB/SmolVLM-256M-Instruct --variant q4"),
        e.getMessage());
  }
}
