package io.streamsight.vlm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import io.streamsight.vlm.model.ModelVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening a model either yields all three sessions or leaves none open behind the error. */
@Timeout(60)
class ModelSessionsIT {
  private static List<OrtSession> opened = new ArrayList<>();

  private static ModelSessions openRecording(Path dir) {
    SessionFactory factory = new SessionFactory(RuntimeConfig.CPU, ProviderProbe.ONNX_RUNTIME);
    return new ModelSessions(
        ModelDirectory.open(dir, ModelVariant.FP32),
        graph -> {
          OrtSession s = factory.open(graph);
          opened.add(s);
          return s;
        });
  }

  private static boolean isClosed(OrtSession s) {
    try {
      s.getInputInfo();
      return false;
    } catch (IllegalStateException closed) {
      return true;
    } catch (Exception other) {
      throw new AssertionError(other);
    }
  }

  @Test
  void shouldCloseTheFirstSessionWhenTheSecondGraphIsCorrupt(@TempDir Path tmp) throws Exception {
    opened = new ArrayList<>();
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    Path embed = dir.resolve("onnx/embed_tokens.onnx");
    Files.write(embed, "not an onnx graph".getBytes());

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> openRecording(dir));
    assertTrue(e.getMessage().contains("embed_tokens.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("opened before it are closed"), e.getMessage());
    assertEquals(1, opened.size(), "only the vision encoder opened");
    assertTrue(isClosed(opened.get(0)), "vision encoder session leaked");
  }

  @Test
  void shouldCloseAllSessionsWhenAGraphBreaksTheContract(@TempDir Path tmp) throws Exception {
    opened = new ArrayList<>();
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    // All three open, then the tensor-name check fails on the decoder.
    Files.copy(
        dir.resolve("onnx/embed_tokens.onnx"),
        dir.resolve("onnx/decoder_model_merged.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> openRecording(dir));
    assertTrue(e.getMessage().contains("wrong tensor names"), e.getMessage());
    assertEquals(3, opened.size());
    opened.forEach(s -> assertTrue(isClosed(s), "a session leaked: " + s));
  }

  @Test
  void shouldOpenAWellFormedModel(@TempDir Path tmp) {
    opened = new ArrayList<>();
    try (ModelSessions s = openRecording(VlmFixtureModel.write(tmp.resolve("m")))) {
      assertEquals(3, opened.size());
      opened.forEach(o -> assertTrue(!isClosed(o)));
    }
    opened.forEach(o -> assertTrue(isClosed(o)));
  }
}
