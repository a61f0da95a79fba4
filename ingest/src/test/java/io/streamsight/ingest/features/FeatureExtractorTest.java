package io.streamsight.ingest.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.FrameFeatures;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
  private static final int W = 640;
  private static final int H = 360;

  @Test
  void yuvFeaturesMatchThoseOfTheSamePictureInBgr() {
    Yuv pic = Yuv.scene(7);
    FrameFeatures fromYuv = pic.features();
    FrameFeatures fromBgr = FeatureExtractor.fromBgr(pic.toBgr(), W, H, W * 3);

    assertTrue(
        Long.bitCount(fromYuv.getDhash() ^ fromBgr.getDhash()) <= 2,
        "dHash differs in more than rounding");
    for (int i = 0; i < 64; i++) {
      int a = fromYuv.getThumbnail().get(i) & 0xff;
      int b = fromBgr.getThumbnail().get(i) & 0xff;
      assertTrue(Math.abs(a - b) <= 2, "thumbnail cell " + i + ": " + a + " vs " + b);
    }
    for (int i = 0; i < 3 * FeatureExtractor.BINS; i++) {
      float a = fromYuv.getColorHistogram().get(i);
      float b = fromBgr.getColorHistogram().get(i);
      assertEquals(b, a, 0.03, "histogram bin " + i);
    }
  }

  @Test
  void identicalPicturesGiveIdenticalFeaturesAndDifferentOnesDiffer() {
    FrameFeatures a = Yuv.scene(1).features();
    assertEquals(a, Yuv.scene(1).features());
    FrameFeatures b = Yuv.scene(2).features();
    assertTrue(Long.bitCount(a.getDhash() ^ b.getDhash()) > 8, "different scenes, close hashes");
    assertNotEquals(a.getColorHistogram(), b.getColorHistogram());
  }

  @Test
  void histogramsSumToOnePerChannel() {
    FrameFeatures f = Yuv.scene(3).features();
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      for (int i = 0; i < FeatureExtractor.BINS; i++) {
        sum += f.getColorHistogram().get(c * FeatureExtractor.BINS + i);
      }
      assertEquals(1.0, sum, 1e-5);
    }
  }

  @Test
  void rejectsPicturesTooSmallForTheGrid() {
    ByteBuffer tiny = ByteBuffer.allocate(64);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtractor.fromYuv420(tiny, 8, tiny, 4, tiny, 4, 8, 8));
    assertTrue(e.getMessage().contains("8x8"));
  }

  /** A full-range YUV 4:2:0 test picture (strides wider than the width, as FFmpeg pads them). */
  private record Yuv(byte[] y, byte[] u, byte[] v, int stride, int cStride) {
    static Yuv scene(int seed) {
      int stride = W + 32;
      int cStride = W / 2 + 32;
      byte[] y = new byte[stride * H];
      byte[] u = new byte[cStride * H / 2];
      byte[] v = new byte[cStride * H / 2];
      for (int row = 0; row < H; row++) {
        for (int x = 0; x < W; x++) {
          // blocks of different brightness per seed, with a diagonal gradient; levels and chroma
          // stay where RGB does not clip, so both paths see the same luma
          int block = ((x / 80) * 31 + (row / 60) * 17 + seed * 53) % 120;
          y[row * stride + x] = (byte) (50 + block + (x + row) % 30);
        }
      }
      for (int row = 0; row < H / 2; row++) {
        for (int x = 0; x < W / 2; x++) {
          u[row * cStride + x] = (byte) (128 + ((x * seed) % 40) - 20);
          v[row * cStride + x] = (byte) (128 + ((row * 3 + seed * 20) % 40) - 20);
        }
      }
      return new Yuv(y, u, v, stride, cStride);
    }

    FrameFeatures features() {
      return FeatureExtractor.fromYuv420(
          ByteBuffer.wrap(y),
          stride,
          ByteBuffer.wrap(u),
          cStride,
          ByteBuffer.wrap(v),
          cStride,
          W,
          H);
    }

    /** The same picture as packed BGR, converted with the JFIF equations in floating point. */
    ByteBuffer toBgr() {
      ByteBuffer out = ByteBuffer.allocate(W * H * 3);
      for (int row = 0; row < H; row++) {
        for (int x = 0; x < W; x++) {
          double l = y[row * stride + x] & 0xff;
          double cb = (u[(row / 2) * cStride + x / 2] & 0xff) - 128;
          double cr = (v[(row / 2) * cStride + x / 2] & 0xff) - 128;
          int i = (row * W + x) * 3;
          out.put(i, clamp(l + 1.772 * cb));
          out.put(i + 1, clamp(l - 0.344136 * cb - 0.714136 * cr));
          out.put(i + 2, clamp(l + 1.402 * cr));
        }
      }
      return out;
    }

    private static byte clamp(double value) {
      return (byte) Math.max(0, Math.min(255, Math.round(value)));
    }
  }
}
