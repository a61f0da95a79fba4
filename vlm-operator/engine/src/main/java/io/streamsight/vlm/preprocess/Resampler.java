package io.streamsight.vlm.preprocess;

/**
 * Image resizing with PIL's filters and conventions (pixel centres at +0.5, filter support widened
 * when shrinking, 8-bit rounding after each separable pass), because the published processors
 * resize with PIL. Codes follow PIL: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic.
 */
public final class Resampler {
  private Resampler() {}

  public static RgbImage resize(RgbImage src, int width, int height, int filter) {
    if (src.width() == width && src.height() == height) {
      return src;
    }
    if (filter == 0) {
      return nearest(src, width, height);
    }
    RgbImage horizontal = pass(src, width, filter, true);
    return pass(horizontal, height, filter, false);
  }

  private static RgbImage nearest(RgbImage src, int w, int h) {
    byte[] out = new byte[w * h * 3];
    double sx = (double) src.width() / w;
    double sy = (double) src.height() / h;
    int[] xs = new int[w];
    for (int x = 0; x < w; x++) {
      xs[x] = Math.min(src.width() - 1, (int) Math.floor((x + 0.5) * sx));
    }
    byte[] in = src.rgb();
    for (int y = 0; y < h; y++) {
      int yy = Math.min(src.height() - 1, (int) Math.floor((y + 0.5) * sy));
      int rowIn = yy * src.width();
      int o = y * w * 3;
      for (int x = 0; x < w; x++) {
        int i = (rowIn + xs[x]) * 3;
        out[o++] = in[i];
        out[o++] = in[i + 1];
        out[o++] = in[i + 2];
      }
    }
    return new RgbImage(w, h, out);
  }

  private static double support(int filter) {
    return switch (filter) {
      case 1 -> 3.0; // lanczos
      case 2 -> 1.0; // bilinear
      case 3 -> 2.0; // bicubic
      default -> throw new IllegalArgumentException("unsupported resample filter " + filter);
    };
  }

  private static double kernel(int filter, double x) {
    x = Math.abs(x);
    switch (filter) {
      case 1:
        if (x >= 3) {
          return 0;
        }
        return sinc(x) * sinc(x / 3);
      case 2:
        return x < 1 ? 1 - x : 0;
      default:
        double a = -0.5;
        if (x < 1) {
          return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
          return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0;
    }
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1;
    }
    x *= Math.PI;
    return Math.sin(x) / x;
  }

  /** One separable pass along x (horizontal) or y, PIL's ImagingResample convolution. */
  private static RgbImage pass(RgbImage src, int outSize, int filter, boolean horizontal) {
    int inSize = horizontal ? src.width() : src.height();
    if (inSize == outSize) {
      return src;
    }
    double scale = (double) inSize / outSize;
    double fscale = Math.max(scale, 1.0);
    double support = support(filter) * fscale;
    int kmax = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    double[] weights = new double[outSize * kmax];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int xmin = Math.max(0, (int) (center - support + 0.5));
      int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
      double total = 0;
      for (int k = 0; k < xmax; k++) {
        double w = kernel(filter, (k + xmin - center + 0.5) / fscale);
        weights[o * kmax + k] = w;
        total += w;
      }
      for (int k = 0; k < xmax; k++) {
        weights[o * kmax + k] = total == 0 ? 0 : weights[o * kmax + k] / total;
      }
      bounds[o * 2] = xmin;
      bounds[o * 2 + 1] = xmax;
    }
    int w = horizontal ? outSize : src.width();
    int h = horizontal ? src.height() : outSize;
    byte[] out = new byte[w * h * 3];
    byte[] in = src.rgb();
    int sw = src.width();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = horizontal ? x : y;
        int xmin = bounds[o * 2];
        int n = bounds[o * 2 + 1];
        double r = 0;
        double g = 0;
        double b = 0;
        for (int k = 0; k < n; k++) {
          double wt = weights[o * kmax + k];
          int i = horizontal ? (y * sw + xmin + k) * 3 : ((xmin + k) * sw + x) * 3;
          r += wt * (in[i] & 0xff);
          g += wt * (in[i + 1] & 0xff);
          b += wt * (in[i + 2] & 0xff);
        }
        int oi = (y * w + x) * 3;
        out[oi] = clip(r);
        out[oi + 1] = clip(g);
        out[oi + 2] = clip(b);
      }
    }
    return new RgbImage(w, h, out);
  }

  private static byte clip(double v) {
    long r = Math.round(v);
    return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
  }
}
