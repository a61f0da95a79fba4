package io.streamsight.vlm.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes JPEG/PNG bytes to RGB (alpha dropped, grey expanded: the processor's convert_rgb). */
public final class ImageDecoder {
  private ImageDecoder() {}

  public static RgbImage decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new ImageDecodeException("empty image");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException("unreadable image (" + bytes.length + " bytes): " + e, e);
    }
    if (img == null) {
      throw new ImageDecodeException(
          "unreadable image (" + bytes.length + " bytes): not a JPEG or PNG");
    }
    return fromBufferedImage(img);
  }

  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      // Fast path for decoded JPEGs: swap BGR to RGB straight from the raster.
      byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < rgb.length; i += 3) {
        rgb[i] = bgr[i + 2];
        rgb[i + 1] = bgr[i + 1];
        rgb[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, rgb);
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (p >> 16);
        rgb[o + 1] = (byte) (p >> 8);
        rgb[o + 2] = (byte) p;
      }
    }
    return new RgbImage(w, h, rgb);
  }
}
