package io.streamsight.vlm.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG/PNG bytes to RGB (alpha dropped, grey expanded: the processor's convert_rgb), after
 * reading the image's dimensions from its header and refusing sizes that would exhaust the heap.
 *
 * <p>Why: decoding allocates about {@code w*h*3} bytes twice (ImageIO's raster, then the RGB copy)
 * for whatever size the header declares, and a 1 KB JPEG can declare 30000x30000 px: 2.7 GB per
 * copy, an OutOfMemoryError in the TaskManager, a restart, and the same keyframe again.
 */
public final class ImageDecoder {
  /**
   * The most pixels an image may have: 4096x4096 = 16.7 MP, about 100 MB to decode. Ingest
   * publishes frames with a longest edge of 1024 px by default (0.6 MP at 16:9), 4K UHD is 8.3 MP,
   * and the VLM resizes every image to its own longest edge (2048 px for SmolVLM) before the vision
   * encoder, so nothing larger is ever worth its decode.
   */
  public static final long MAX_PIXELS = 4096L * 4096L;

  /**
   * How far an image's real width or height may be from what its record declares (either way).
   * Ingest writes the encoded size, so honest records match exactly; the slack only avoids
   * rejecting producers that round or pad, while a record that lies to slip a large image past
   * size-based budgets is caught.
   */
  public static final int MAX_DECLARED_RATIO = 2;

  /** Width and height in pixels, as read from an image header. */
  public record ImageSize(int width, int height) {
    public long pixels() {
      return (long) width * height;
    }

    @Override
    public String toString() {
      return width + "x" + height + " px";
    }
  }

  private ImageDecoder() {}

  /** Reads width and height from the header, without decoding pixels. */
  public static ImageSize size(byte[] bytes) {
    return withReader(bytes, ImageDecoder::headerSize);
  }

  /**
   * The header's size, checked against {@link #MAX_PIXELS} and against the size the record declares
   * ({@code declaredWidth}/{@code declaredHeight}; a value below 1 means not declared).
   *
   * @throws ImageTooLargeException above the pixel limit
   * @throws ImageSizeMismatchException off the declared size by more than {@link
   *     #MAX_DECLARED_RATIO}
   * @throws ImageDecodeException when there is no readable JPEG/PNG header
   */
  public static ImageSize check(byte[] bytes, int declaredWidth, int declaredHeight) {
    ImageSize s = size(bytes);
    if (declaredWidth > 0 && declaredHeight > 0) {
      ImageSize declared = new ImageSize(declaredWidth, declaredHeight);
      if (far(s.width(), declaredWidth) || far(s.height(), declaredHeight)) {
        throw new ImageSizeMismatchException(s, declared);
      }
    }
    return s;
  }

  public static RgbImage decode(byte[] bytes) {
    BufferedImage img =
        withReader(
            bytes,
            r -> {
              headerSize(r); // refuses bombs before read() allocates the raster
              return r.read(0, r.getDefaultReadParam());
            });
    if (img == null) {
      throw new ImageDecodeException(
          "unreadable image (" + bytes.length + " bytes): not a JPEG or PNG");
    }
    return fromBufferedImage(img);
  }

  private static ImageSize headerSize(ImageReader r) throws IOException {
    ImageSize s = new ImageSize(r.getWidth(0), r.getHeight(0));
    if (s.width() < 1 || s.height() < 1) {
      throw new ImageDecodeException("image header declares " + s);
    }
    if (s.pixels() > MAX_PIXELS) {
      throw new ImageTooLargeException(s, MAX_PIXELS);
    }
    return s;
  }

  private static boolean far(int actual, int declared) {
    return (long) actual > (long) declared * MAX_DECLARED_RATIO
        || (long) declared > (long) actual * MAX_DECLARED_RATIO;
  }

  private interface ReaderFunction<T> {
    T apply(ImageReader reader) throws IOException;
  }

  /** Runs {@code f} on the ImageIO reader for {@code bytes}, kept in memory (no cache file). */
  private static <T> T withReader(byte[] bytes, ReaderFunction<T> f) {
    if (bytes == null || bytes.length == 0) {
      throw new ImageDecodeException("empty image");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(
            "unreadable image (" + bytes.length + " bytes): not a JPEG or PNG");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        return f.apply(r);
      } finally {
        r.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException("unreadable image (" + bytes.length + " bytes): " + e, e);
    }
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
