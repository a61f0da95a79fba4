package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.testkit.vlm.VlmFixtureModel;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.VlmResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The fixture model through the real engine and ONNX Runtime behaves as designed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureModelIT {
  private VlmEngine engine;

  @BeforeAll
  void load(@TempDir Path tmp) {
    engine = VlmEngine.load(VlmFixtureModel.write(tmp.resolve("fixture")), EngineConfig.CPU);
  }

  @AfterAll
  void close() {
    engine.close();
  }

  static List<byte[]> frames(String... colours) {
    List<byte[]> l = new ArrayList<>();
    for (String c : colours) {
      l.add(TestImages.solid(c, 160, 90, "jpg"));
    }
    return l;
  }

  static final GenerationOptions VIDEO = GenerationOptions.greedy(16, ImageBudget.GLOBAL_ONLY);
  static final GenerationOptions FULL = GenerationOptions.greedy(16, ImageBudget.PUBLISHED);

  @Test
  void shouldNameTheDominantColourOfEachImage() {
    for (String c : VlmFixtureModel.COLOURS) {
      VlmResult r = engine.describe(frames(c), "Describe the image.", FULL);
      assertEquals(c, r.text(), "colour " + c + " " + r);
      assertEquals(FinishReason.STOP, r.finishReason());
    }
  }

  @Test
  void shouldNameColoursOfAWindowInOrder() {
    VlmResult r =
        engine.describe(
            frames("red", "red", "blue", "blue"),
            "Summarise what happens across these frames.",
            VIDEO);
    assertEquals("red red blue blue", r.text());
    VlmResult full =
        engine.describe(frames("green", "yellow", "black"), "Describe the image.", FULL);
    assertEquals("green yellow black", full.text());
  }

  @Test
  void shouldAnswerYesWhenTheNamedColourDominates() {
    VlmResult yes = engine.ask(frames("blue", "blue", "blue"), "Is the scene blue?", VIDEO);
    assertEquals("Yes", yes.text());
    VlmResult no = engine.ask(frames("red", "red"), "Is the scene blue?", VIDEO);
    assertEquals("No", no.text());
    double high =
        engine.score(frames("blue", "blue"), "Is the scene blue?", ImageBudget.GLOBAL_ONLY).pYes();
    double low =
        engine.score(frames("red", "red"), "Is the scene blue?", ImageBudget.GLOBAL_ONLY).pYes();
    assertTrue(high > 0.95, "p(yes) on blue frames " + high);
    assertTrue(low < 0.05, "p(yes) on red frames " + low);
  }
}
