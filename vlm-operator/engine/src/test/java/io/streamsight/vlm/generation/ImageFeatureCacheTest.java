package io.streamsight.vlm.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamsight.vlm.preprocess.ProcessedImage;
import io.streamsight.vlm.preprocess.TileLayout;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ImageFeatureCacheTest {
  static ProcessedImage image(ImageFeatureCache c, ImageFeatureCache.Key key) {
    return c.image(key, new IdentityHashMap<>());
  }

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
    assertSame(p, image(c, new ImageFeatureCache.Key(jpeg, 0)));
    assertNull(image(c, new ImageFeatureCache.Key(jpeg.clone(), 0)), "equal bytes, other array");
    assertNull(image(c, new ImageFeatureCache.Key(jpeg, 4)), "other tile budget");
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
    assertNotNull(image(c, new ImageFeatureCache.Key(jpegs[0], 0))); // 0 is now the newest
    images[3] = image(1, 4);
    c.putImage(new ImageFeatureCache.Key(jpegs[3], 0), images[3]);
    assertNull(image(c, new ImageFeatureCache.Key(jpegs[1], 0)), "least recently used goes");
    assertNotNull(image(c, new ImageFeatureCache.Key(jpegs[0], 0)));
    assertEquals(3, c.size());
    // 32 bytes of features in, the 16 of pixels out: over the bound again, and 2 is the oldest
    c.putFeatures(images[0].tiles()[0], new float[8]);
    assertNull(image(c, new ImageFeatureCache.Key(jpegs[2], 0)));
    assertNull(c.features(images[2].tiles()[0]));
    assertEquals(3 * 16, c.bytes());
  }

  @Test
  void shouldDropThePixelsOnceEveryTileIsEncodedAndHandOutTheFeatures() {
    ImageFeatureCache c = new ImageFeatureCache(1 << 20);
    ImageFeatureCache.Key key = new ImageFeatureCache.Key(new byte[] {7}, 0);
    ProcessedImage p = image(2, 100);
    c.putImage(key, p);
    float[] f0 = {1};
    float[] f1 = {2};
    c.putFeatures(p.tiles()[0], f0);
    Map<float[], float[]> known = new IdentityHashMap<>();
    assertSame(p, c.image(key, known), "pixels kept while a tile is not encoded");
    assertSame(f0, known.get(p.tiles()[0]));
    c.putFeatures(p.tiles()[1], f1);
    assertEquals(2 * 4, c.bytes(), "only the features remain");
    known.clear();
    ProcessedImage kept = c.image(key, known);
    assertEquals(2, kept.tiles().length);
    assertEquals(0, kept.tiles()[0].length);
    assertEquals(p.layout(), kept.layout());
    assertSame(f0, known.get(kept.tiles()[0]));
    assertSame(f1, known.get(kept.tiles()[1]));
  }

  @Test
  void shouldKeepNothingWhenOff() {
    ImageFeatureCache c = new ImageFeatureCache(0);
    c.putImage(new ImageFeatureCache.Key(new byte[1], 0), image(1, 1));
    assertEquals(0, c.size());
  }
}
