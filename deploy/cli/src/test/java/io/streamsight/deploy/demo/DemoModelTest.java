package io.streamsight.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.model.ModelVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo runs a variant the model directory holds, or the one asked for if it is there. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoModelTest {

  /** The fixture model with its fp32 graphs renamed to {@code variant}'s names. */
  static Path onlyVariant(Path dir, ModelVariant variant) throws IOException {
    VlmFixtureModel.write(dir);
    List<String> fp32 = ModelDirectory.graphFiles(ModelVariant.FP32);
    List<String> other = ModelDirectory.graphFiles(variant);
    for (int i = 0; i < fp32.size(); i++) {
      Files.move(dir.resolve(fp32.get(i)), dir.resolve(other.get(i)));
    }
    return dir;
  }

  @Test
  void shouldPickTheVariantAQ4OnlyPullHolds(@TempDir Path tmp) throws IOException {
    Path dir = onlyVariant(tmp.resolve("m"), ModelVariant.Q4);
    DemoModel m = DemoModel.resolve(dir, null);
    assertEquals(ModelVariant.Q4, m.variant());
    assertTrue(m.banner().contains("variant q4 (found in the directory"), m.banner());
  }

  @Test
  void shouldPreferFp32AndFp32ActivationsOnTheCpu() {
    assertEquals(ModelVariant.FP32, DemoModel.pick(List.of(ModelVariant.FP16, ModelVariant.FP32)));
    assertEquals(ModelVariant.Q4, DemoModel.pick(List.of(ModelVariant.Q4F16, ModelVariant.Q4)));
    assertEquals(ModelVariant.FP32, DemoModel.pick(List.of()));
  }

  @Test
  void shouldRefuseAGivenVariantTheDirectoryLacksBeforeStartingAnything(@TempDir Path tmp)
      throws IOException {
    Path dir = onlyVariant(tmp.resolve("m"), ModelVariant.Q4);
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> DemoModel.resolve(dir, ModelVariant.FP16));
    assertTrue(e.getMessage().contains("onnx/vision_encoder_fp16.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("it holds q4"), e.getMessage());
    assertEquals(ModelVariant.Q4, DemoModel.resolve(dir, ModelVariant.Q4).variant());
  }
}
