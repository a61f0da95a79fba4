package io.streamsight.vlm.preprocess;

import io.streamsight.vlm.model.ImageProcessorConfig;

/**
 * The Idefics3 / SmolVLM image processor: resize so the longest edge is {@code size.longest_edge},
 * round up to whole tiles, cut the tiles and add a global image shrunk to one tile, then rescale
 * and normalise. Sizes follow transformers' integer arithmetic exactly, because the prompt's token
 * count depends on them.
 */
public final class Idefics3ImageProcessor implements ImageProcessor {
  /** transformers' MAX_IMAGE_SIZE: no resized edge exceeds it. */
  static final int MAX_IMAGE_SIZE = 4096;

  private final ImageProcessorConfig cfg;

  public Idefics3ImageProcessor(ImageProcessorConfig cfg) {
    this.cfg = cfg;
  }

  public int tileSize() {
    return cfg.tileSize();
  }

  /** Size (width, height) after the first resize to {@code size.longest_edge}. */
  public int[] resizedSize(int width, int height, int longestEdge) {
    int h = height;
    int w = width;
    double aspect = (double) w / h;
    if (w >= h) {
      w = longestEdge;
      h = (int) (w / aspect);
      if (h % 2 != 0) {
        h++;
      }
    } else {
      h = longestEdge;
      w = (int) (h * aspect);
      if (w % 2 != 0) {
        w++;
      }
    }
    h = Math.max(h, 1);
    w = Math.max(w, 1);
    // then scaled below the upper bound
    aspect = (double) w / h;
    if (w >= h && w > MAX_IMAGE_SIZE) {
      w = MAX_IMAGE_SIZE;
      h = (int) (w / aspect);
    } else if (h > w && h > MAX_IMAGE_SIZE) {
      h = MAX_IMAGE_SIZE;
      w = (int) (h * aspect);
    }
    return new int[] {Math.max(w, 1), Math.max(h, 1)};
  }

  /** Size (width, height) rounded up to whole tiles (resize_for_vision_encoder). */
  public int[] visionSize(int width, int height) {
    int t = cfg.tileSize();
    double aspect = (double) width / height;
    int w;
    int h;
    if (width >= height) {
      w = ceilTo(width, t);
      h = ceilTo((int) (w / aspect), t);
    } else {
      h = ceilTo(height, t);
      w = ceilTo((int) (h * aspect), t);
    }
    return new int[] {w, h};
  }

  private static int ceilTo(int v, int t) {
    return Math.max(1, (int) Math.ceil((double) v / t)) * t;
  }

  /** The tile layout an image of this size gets, within {@code maxTiles} local tiles. */
  public TileLayout layout(int width, int height, int maxTiles) {
    int[] sizes = plan(width, height, maxTiles);
    return new TileLayout(sizes[2], sizes[3]);
  }

  /** {resizedW, resizedH, rows, cols, longestEdgeUsed}; longestEdgeUsed 0 = global image only. */
  private int[] plan(int width, int height, int maxTiles) {
    if (!cfg.doImageSplitting() || maxTiles == 0) {
      return new int[] {0, 0, 0, 0, 0};
    }
    int t = cfg.tileSize();
    int edge = cfg.doResize() ? cfg.longestEdge() : Math.max(width, height);
    // A tile budget lowers the longest edge one tile at a time until the grid fits.
    for (; edge >= t; edge -= t) {
      int[] r = cfg.doResize() ? resizedSize(width, height, edge) : new int[] {width, height};
      int[] v = visionSize(r[0], r[1]);
      int rows = v[1] > t || v[0] > t ? v[1] / t : 0;
      int cols = v[1] > t || v[0] > t ? v[0] / t : 0;
      if (rows * cols <= maxTiles) {
        return new int[] {r[0], r[1], rows, cols, edge};
      }
      if (!cfg.doResize()) {
        break;
      }
    }
    return new int[] {0, 0, 0, 0, 0};
  }

  @Override
  public ProcessedImage process(RgbImage image, int maxTiles) {
    int t = cfg.tileSize();
    int[] p = plan(image.width(), image.height(), maxTiles);
    if (p[4] == 0) {
      // Global image only: one resize straight to the tile (cheapest, used for video windows).
      RgbImage g = Resampler.resize(image, t, t, cfg.resample());
      return new ProcessedImage(new TileLayout(0, 0), new float[][] {normalise(g, 0, 0, t)}, t);
    }
    RgbImage resized = Resampler.resize(image, p[0], p[1], cfg.resample());
    int[] v = visionSize(resized.width(), resized.height());
    RgbImage big = Resampler.resize(resized, v[0], v[1], cfg.resample());
    int rows = p[2];
    int cols = p[3];
    float[][] tiles = new float[rows * cols + 1][];
    int i = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        // Tiles are exact because the size is a multiple of the tile; anchor the last row and
        // column to the edge anyway so a rounding mismatch can never read outside the image.
        int x0 = Math.min(c * t, big.width() - t);
        int y0 = Math.min(r * t, big.height() - t);
        tiles[i++] = normalise(big, x0, y0, t);
      }
    }
    RgbImage global = Resampler.resize(big, t, t, cfg.resample());
    tiles[i] = normalise(global, 0, 0, t);
    return new ProcessedImage(new TileLayout(rows, cols), tiles, t);
  }

  private float[] normalise(RgbImage img, int x0, int y0, int t) {
    float[] out = new float[3 * t * t];
    float[] lut = new float[3 * 256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float x = cfg.doRescale() ? v * cfg.rescaleFactor() : v;
        lut[c * 256 + v] = cfg.doNormalize() ? (x - cfg.mean()[c]) / cfg.std()[c] : x;
      }
    }
    byte[] rgb = img.rgb();
    int w = img.width();
    int plane = t * t;
    for (int y = 0; y < t; y++) {
      int row = ((y0 + y) * w + x0) * 3;
      for (int x = 0; x < t; x++) {
        int i = row + x * 3;
        int o = y * t + x;
        out[o] = lut[rgb[i] & 0xff];
        out[plane + o] = lut[256 + (rgb[i + 1] & 0xff)];
        out[2 * plane + o] = lut[512 + (rgb[i + 2] & 0xff)];
      }
    }
    return out;
  }
}
