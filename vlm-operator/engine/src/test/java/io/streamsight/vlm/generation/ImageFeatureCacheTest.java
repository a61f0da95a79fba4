package io.streamsight.vlm.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamsight.vlm.preprocess.ProcessedImage;
import io.streamsight.vlm.preprocess.TileLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ImageFeatureCacheTest {
  static ProcessedImage image(int tiles, int floatsPerTile) {
    float[][] t = new float[tiles][floatsPerTile];
    return new ProcessedImage(new TileLayout(0, 0), t, 1);
  }

  @Test
  void shouldKeepByArrayIdentityAndTileBudget() {
    ImageFeatureCache c = new ImageFeatureCache(1 << 20);
    byte[] jpeg = {1, 2, 3};
    ProcessedImage p = image(2, 4);
    c.putImage(new ImageFeatureCache.Key(jpeg, 0), p);
    assertSame(p, c.image(new ImageFeatureCache.Key(jpeg, 0)));
    assertNull(c.image(new ImageFeatureCache.Key(jpeg.clone(), 0)), "equal bytes, other array");
    assertNull(c.image(new ImageFeatureCache.Key(jpeg, 4)), "other tile budget");
    float[] f = {9};
    c.putFeatures(p.tiles()[1], f);
    assertSame(f, c.features(p.tiles()[1]));
    assertNull(c.features(p.tiles()[0]));
    c.putFeatures(new float[4], f); // a tile of no cached image: ignored
    assertEquals(2 * 4 * 4 + 4, c.bytes());
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedImageWithItsFeaturesBeyondTheByteBound() {
    ImageFeatureCache c = new ImageFeatureCache(3 * 16);
    byte[][] jpegs = {{1}, {2}, {3}, {4}};
    ProcessedImage[] images = new ProcessedImage[4];
    for (int i = 0; i < 3; i++) {
      images[i] = image(1, 4); // 16 bytes each
      c.putImage(new ImageFeatureCache.Key(jpegs[i], 0), images[i]);
    }
    assertNotNull(c.image(new ImageFeatureCache.Key(jpegs[0], 0))); // 0 is now the newest
    images[3] = image(1, 4);
    c.putImage(new ImageFeatureCache.Key(jpegs[3], 0), images[3]);
    assertNull(c.image(new ImageFeatureCache.Key(jpegs[1], 0)), "least recently used goes");
    assertNotNull(c.image(new ImageFeatureCache.Key(jpegs[0], 0)));
    assertEquals(3, c.size());
    c.putFeatures(images[0].tiles()[0], new float[4]); // over the bound again: 2 is oldest
    assertNull(c.image(new ImageFeatureCache.Key(jpegs[2], 0)));
    assertNull(c.features(images[2].tiles()[0]));
    assertEquals(3 * 16, c.bytes());
  }

  @Test
  void shouldKeepNothingWhenOff() {
    ImageFeatureCache c = new ImageFeatureCache(0);
    c.putImage(new ImageFeatureCache.Key(new byte[1], 0), image(1, 1));
    assertEquals(0, c.size());
  }
}
