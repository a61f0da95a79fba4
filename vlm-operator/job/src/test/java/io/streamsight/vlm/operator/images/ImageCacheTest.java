package io.streamsight.vlm.operator.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamsight.vlm.operator.types.FrameRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ImageCacheTest {
  static FrameRef ref(long offset) {
    return new FrameRef("cam-1", offset * 1000, offset, "cameras.keyframes", 0, offset, 1f, false);
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedImagesOnceTheirBytesPassTheBudget() {
    ImageCache c = new ImageCache(300);
    c.put(ref(1), new byte[100]);
    c.put(ref(2), new byte[100]);
    c.put(ref(3), new byte[100]);
    c.get(ref(1)); // 1 is now the most recently used: 2 goes first
    c.put(ref(4), new byte[100]);

    assertNull(c.get(ref(2)));
    assertEquals(3, c.size());
    assertEquals(300, c.bytes());
    c.resize(150);
    assertEquals(1, c.size(), "shrinking evicts down to the new budget");
    assertEquals(100, c.get(ref(4)).length);
  }

  @Test
  void shouldNotReturnAnImageCachedForAnotherKeyframeAtTheSameOffset() {
    ImageCache c = new ImageCache(1000);
    c.put(ref(1), new byte[] {1, 2, 3});
    // The topic was re-created: offset 1 now holds another camera's keyframe.
    FrameRef other = new FrameRef("cam-2", 1000, 1, "cameras.keyframes", 0, 1, 1f, false);

    assertNull(c.get(other));
    assertNull(c.get(ref(1)), "the stale entry is dropped");
    assertEquals(0, c.bytes());
  }

  @Test
  void shouldSkipAnImageLargerThanTheWholeBudget() {
    ImageCache c = new ImageCache(10);
    c.put(ref(1), new byte[] {1});
    c.put(ref(2), new byte[11]);

    assertNull(c.get(ref(2)));
    assertArrayEquals(new byte[] {1}, c.get(ref(1)), "the others stay");
  }
}
