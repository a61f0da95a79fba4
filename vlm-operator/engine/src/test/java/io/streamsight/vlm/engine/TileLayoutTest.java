package io.streamsight.vlm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.vlm.model.ImageProcessorConfig;
import io.streamsight.vlm.preprocess.Idefics3ImageProcessor;
import io.streamsight.vlm.preprocess.ProcessedImage;
import io.streamsight.vlm.preprocess.RgbImage;
import io.streamsight.vlm.preprocess.TileLayout;
import org.junit.jupiter.api.Test;

/**
 * Tile layouts against hand-computed values for SmolVLM-256M's settings (longest edge 2048, 512-px
 * tiles), following transformers' Idefics3 arithmetic step by step.
 */
class TileLayoutTest {
  static final float[] HALF = {0.5f, 0.5f, 0.5f};
  static final Idefics3ImageProcessor SMOLVLM =
      new Idefics3ImageProcessor(
          new ImageProcessorConfig(true, 2048, true, 512, 1, true, 1 / 255f, true, HALF, HALF));

  @Test
  void shouldCutA720pFrameIntoThreeRowsOfFourTiles() {
    // 1280x720 -> longest edge 2048: 2048 x int(2048/1.777..)=1152 -> rounded up to 2048x1536
    assertArrayEquals(new int[] {2048, 1152}, SMOLVLM.resizedSize(1280, 720, 2048));
    assertArrayEquals(new int[] {2048, 1536}, SMOLVLM.visionSize(2048, 1152));
    assertEquals(new TileLayout(3, 4), SMOLVLM.layout(1280, 720, Integer.MAX_VALUE));
  }

  @Test
  void shouldCutAPortraitFrameIntoFourRowsOfThree() {
    // 720x1280 -> 1152x2048 -> 1536x2048
    assertEquals(new TileLayout(4, 3), SMOLVLM.layout(720, 1280, Integer.MAX_VALUE));
  }

  @Test
  void shouldUpscaleATinyImageToTheFullGrid() {
    // 16x16 -> 2048x2048 (transformers resizes up too) -> 4x4 tiles
    assertEquals(new TileLayout(4, 4), SMOLVLM.layout(16, 16, Integer.MAX_VALUE));
    // an odd tiny one: 3x1 -> 2048 x int(2048/3)=682 -> even 682 -> 2048 x 1024
    assertEquals(new TileLayout(2, 4), SMOLVLM.layout(3, 1, Integer.MAX_VALUE));
  }

  @Test
  void shouldBringAHugePanoramaDownToTheLongestEdge() {
    // 10000x3000 -> 2048 x int(614.4)=614 -> 2048 x ceil(614/512)*512=1024
    assertEquals(new TileLayout(2, 4), SMOLVLM.layout(10000, 3000, Integer.MAX_VALUE));
    // 20000x20000 -> 2048x2048
    assertEquals(new TileLayout(4, 4), SMOLVLM.layout(20000, 20000, Integer.MAX_VALUE));
  }

  @Test
  void shouldLowerTheEdgeUntilTheTileBudgetFits() {
    // 2048 -> 12 tiles, 1536 -> 1536x864 -> 1536x1024 = 6 tiles, 1024 -> 1024x576 -> 2x2
    assertEquals(new TileLayout(2, 2), SMOLVLM.layout(1280, 720, 4));
    assertEquals(new TileLayout(2, 3), SMOLVLM.layout(1280, 720, 6));
    assertEquals(new TileLayout(0, 0), SMOLVLM.layout(1280, 720, 0));
  }

  @Test
  void shouldSendTilesRowByRowThenTheGlobalImage() {
    // 128x64 image, tiles of 64 with longest edge 128: left half red, right half blue.
    Idefics3ImageProcessor p =
        new Idefics3ImageProcessor(
            new ImageProcessorConfig(true, 128, true, 64, 0, true, 1 / 255f, true, HALF, HALF));
    byte[] rgb = new byte[128 * 64 * 3];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 128; x++) {
        rgb[(y * 128 + x) * 3 + (x < 64 ? 0 : 2)] = (byte) 255;
      }
    }
    ProcessedImage img = p.process(new RgbImage(128, 64, rgb), Integer.MAX_VALUE);
    assertEquals(new TileLayout(1, 2), img.layout());
    assertEquals(3, img.tiles().length);
    int plane = 64 * 64;
    assertEquals(1f, img.tiles()[0][0]); // tile 1: red channel at 1
    assertEquals(-1f, img.tiles()[0][2 * plane]); // blue channel at -1
    assertEquals(1f, img.tiles()[1][2 * plane]); // tile 2 is blue
    assertEquals(1f, img.tiles()[2][0]); // global image: left red
    assertEquals(1f, img.tiles()[2][2 * plane + 63]); // right blue
  }
}
