package io.streamsight.vlm.preprocess;

/** An 8-bit RGB image, row-major, interleaved (r, g, b). */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (width < 1 || height < 1 || rgb.length != width * height * 3) {
      throw new IllegalArgumentException("bad image size " + width + "x" + height);
    }
  }

  public int get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }
}
