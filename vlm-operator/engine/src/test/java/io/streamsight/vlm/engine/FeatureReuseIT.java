package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images seen by an earlier run are neither preprocessed nor vision-encoded again (early firing
 * scores a window's frames again in later batches), and the outputs stay bit-identical to an engine
 * that keeps nothing across runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class FeatureReuseIT {
  static final GenerationOptions FULL = GenerationOptions.greedy(16, ImageBudget.PUBLISHED);

  private VlmEngine cached;
  private VlmEngine uncached;

  @BeforeAll
  void load(@TempDir Path tmp) {
    Path model = VlmFixtureModel.write(tmp.resolve("fixture"));
    cached = VlmEngine.load(model, EngineConfig.CPU);
    uncached = VlmEngine.load(model, EngineConfig.CPU.withFeatureCacheBytes(0));
  }

  @AfterAll
  void close() {
    cached.close();
    uncached.close();
  }

  static List<byte[]> window() {
    return List.of(
        TestImages.solid("red", 160, 90, "jpg"), TestImages.solid("blue", 160, 90, "jpg"));
  }

  static List<VlmRequest> describeAndScore(List<byte[]> images) {
    return List.of(
        new VlmRequest(Task.DESCRIBE, images, "Summarise what happens across these frames.", FULL),
        new VlmRequest(Task.SCORE, images, "Is the scene blue?", FULL));
  }

  @Test
  void shouldReuseFeaturesOfTheSameArraysInALaterRunWithIdenticalOutputs() {
    List<byte[]> images = window();
    long before = cached.visionTilesEncoded();
    List<VlmResult> first = cached.run(describeAndScore(images));
    long firstTiles = cached.visionTilesEncoded() - before;
    assertTrue(firstTiles > 0, "the first run encodes the window's tiles");

    List<VlmResult> second = cached.run(describeAndScore(images));
    assertEquals(
        firstTiles, cached.visionTilesEncoded() - before, "the second run encodes no tile again");

    List<VlmResult> reference = uncached.run(describeAndScore(window()));
    for (List<VlmResult> run : List.of(first, second)) {
      for (int i = 0; i < reference.size(); i++) {
        assertEquals(reference.get(i).text(), run.get(i).text());
        assertArrayEquals(reference.get(i).tokenIds(), run.get(i).tokenIds());
        assertEquals(
            Double.doubleToRawLongBits(reference.get(i).pYes()),
            Double.doubleToRawLongBits(run.get(i).pYes()),
            "pYes bit for bit, request " + i);
      }
    }
  }

  @Test
  void shouldTreatADifferentArrayWithTheSameBytesAsANewImage() {
    // Keys are array identity, never contents: comparing or hashing megabytes of JPEG per request
    // would cost more than the encoding it saves, and the operator's image cache already hands
    // out one array per keyframe.
    List<byte[]> images = window();
    cached.run(describeAndScore(images));
    long before = cached.visionTilesEncoded();
    List<byte[]> copies = images.stream().map(byte[]::clone).toList();
    List<VlmResult> again = cached.run(describeAndScore(copies));
    long copyTiles = cached.visionTilesEncoded() - before;
    assertTrue(copyTiles > 0, "equal bytes in new arrays are encoded again");
    List<VlmResult> reference = uncached.run(describeAndScore(window()));
    assertEquals(reference.get(0).text(), again.get(0).text());
    assertEquals(reference.get(1).pYes(), again.get(1).pYes());
  }

  @Test
  void shouldEncodeEveryRunWhenTheCacheIsOff() {
    List<byte[]> images = window();
    long before = uncached.visionTilesEncoded();
    uncached.run(describeAndScore(images));
    long once = uncached.visionTilesEncoded() - before;
    uncached.run(describeAndScore(images));
    assertEquals(2 * once, uncached.visionTilesEncoded() - before);
  }
}
