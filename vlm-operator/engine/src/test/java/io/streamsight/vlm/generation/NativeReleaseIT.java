package io.streamsight.vlm.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A generation that fails half-way releases every ONNX Runtime value it held. */
@Timeout(120)
class NativeReleaseIT {
  private static byte[] redJpeg() throws Exception {
    BufferedImage img = new BufferedImage(160, 90, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 160, 90);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  private static List<VlmRequest> batch(byte[] image, int n) {
    GenerationOptions opts = GenerationOptions.greedy(8, ImageBudget.GLOBAL_ONLY);
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new VlmRequest(Task.DESCRIBE, List.of(image), "Describe.", opts))
        .toList();
  }

  @Test
  void shouldReleaseTheKvCachesWhenDecodingThrows(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    byte[] image = redJpeg();
    long before = NativeValues.live();
    try (VlmEngine faulty =
        VlmEngine.loadWithFaults(dir, EngineConfig.CPU, Set.of(Fault.FAIL_MID_DECODE))) {
      List<VlmResult> results = faulty.run(batch(image, 3));
      for (VlmResult r : results) {
        assertEquals(FinishReason.ERROR, r.finishReason(), r.toString());
        assertTrue(r.error().contains("decode step 1 failed"), r.error());
      }
      assertEquals(before, NativeValues.live(), "tensors or results left open after the failure");
    }
  }

  @Test
  void shouldHoldNoValuesAfterASuccessfulBatch(@TempDir Path tmp) throws Exception {
    Path dir = VlmFixtureModel.write(tmp.resolve("m"));
    long before = NativeValues.live();
    try (VlmEngine engine = VlmEngine.load(dir, EngineConfig.CPU)) {
      List<VlmResult> results = engine.run(batch(redJpeg(), 2));
      results.forEach(r -> assertEquals("red", r.text(), r.toString()));
      assertEquals(before, NativeValues.live());
    }
  }
}
