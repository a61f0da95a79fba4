package io.streamsight.ingest.features;

import io.streamsight.schemas.avro.FrameFeatures;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a frame's compact features once, at ingest, so that no later stage decodes a JPEG to
 * decide anything: a 64-bit dHash (9x8 grey grid, bit = left cell brighter than right), an 8x8 grey
 * thumbnail (cell means) and per-channel 8-bin colour histograms.
 *
 * <p>One pass over a sub-sampled pixel grid (at most ~256 samples per row/column): the features are
 * averages, so sampling more pixels buys nothing but time.
 */
public final class FeatureExtractor {
  private static final int MAX_SAMPLES_PER_AXIS = 256;
  public static final int BINS = 8;

  private FeatureExtractor() {}

  /** From packed 3-byte pixels in B,G,R order (FFmpeg's BGR24, JavaCV's default). */
  public static FrameFeatures fromBgr(ByteBuffer pixels, int width, int height, int stride) {
    return compute(
        (x, y) -> {
          int i = y * stride + x * 3;
          return ((pixels.get(i + 2) & 0xff) << 16)
              | ((pixels.get(i + 1) & 0xff) << 8)
              | (pixels.get(i) & 0xff);
        },
        width,
        height);
  }

  public static FrameFeatures fromImage(BufferedImage image) {
    return compute(image::getRGB, image.getWidth(), image.getHeight());
  }

  /** Pixel source returning 0xRRGGBB. */
  @FunctionalInterface
  interface Rgb {
    int at(int x, int y);
  }

  private static FrameFeatures compute(Rgb rgb, int width, int height) {
    if (width < 9 || height < 8) {
      throw new IllegalArgumentException(
          "frame " + width + "x" + height + " too small for features (min 9x8)");
    }
    int stepX = Math.max(1, width / MAX_SAMPLES_PER_AXIS);
    int stepY = Math.max(1, height / MAX_SAMPLES_PER_AXIS);
    double[] grid9 = new double[9 * 8];
    int[] count9 = new int[9 * 8];
    double[] grid8 = new double[8 * 8];
    int[] count8 = new int[8 * 8];
    long[] hist = new long[3 * BINS];
    long samples = 0;
    for (int y = 0; y < height; y += stepY) {
      int row = y * 8 / height;
      for (int x = 0; x < width; x += stepX) {
        int p = rgb.at(x, y);
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        int c9 = row * 9 + x * 9 / width;
        grid9[c9] += luma;
        count9[c9]++;
        int c8 = row * 8 + x * 8 / width;
        grid8[c8] += luma;
        count8[c8]++;
        hist[r * BINS / 256]++;
        hist[BINS + g * BINS / 256]++;
        hist[2 * BINS + b * BINS / 256]++;
        samples++;
      }
    }
    long dhash = 0;
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        double left = grid9[r * 9 + c] / count9[r * 9 + c];
        double right = grid9[r * 9 + c + 1] / count9[r * 9 + c + 1];
        if (left > right) {
          dhash |= 1L << (r * 8 + c);
        }
      }
    }
    byte[] thumb = new byte[64];
    for (int i = 0; i < 64; i++) {
      thumb[i] = (byte) Math.round(grid8[i] / count8[i]);
    }
    List<Float> histogram = new ArrayList<>(3 * BINS);
    for (long h : hist) {
      histogram.add((float) ((double) h / samples));
    }
    return FrameFeatures.newBuilder()
        .setDhash(dhash)
        .setThumbnail(ByteBuffer.wrap(thumb))
        .setColorHistogram(histogram)
        .build();
  }
}
