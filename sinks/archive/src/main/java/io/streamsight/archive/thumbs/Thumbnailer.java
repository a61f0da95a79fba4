package io.streamsight.archive.thumbs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Keyframe JPEG to a small JPEG thumbnail (longest edge {@code edge} pixels).
 *
 * <p>Keyframes come from a topic anyone with write access can fill, so decoding is guarded against
 * decompression bombs: the dimensions are read from the JPEG header first and anything above {@code
 * maxPixels} is refused before a pixel buffer is allocated; large images are decoded with source
 * subsampling, so memory stays near the thumbnail's size times a small factor rather than the full
 * image's.
 */
public final class Thumbnailer {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final int edge;
  private final long maxPixels;
  private final int maxInputBytes;

  public Thumbnailer(int edge, long maxPixels, int maxInputBytes) {
    if (edge < 16 || edge > 4096) {
      throw new IllegalArgumentException("thumbnail edge must be 16 to 4096, was " + edge);
    }
    this.edge = edge;
    this.maxPixels = maxPixels;
    this.maxInputBytes = maxInputBytes;
  }

  /** The thumbnail's JPEG bytes. */
  public byte[] thumbnail(byte[] jpeg) throws ImageRefusedException {
    if (jpeg == null || jpeg.length == 0) {
      throw new ImageRefusedException("no image bytes", null);
    }
    if (jpeg.length > maxInputBytes) {
      throw new ImageRefusedException(
          "image of " + jpeg.length + " bytes exceeds " + maxInputBytes, null);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      ImageReader reader = jpegReader(in);
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0 || (long) w * h > maxPixels) {
          throw new ImageRefusedException(
              "image is "
                  + w
                  + "x"
                  + h
                  + " ("
                  + (long) w * h
                  + " pixels; at most "
                  + maxPixels
                  + ")",
              null);
        }
        ImageReadParam p = reader.getDefaultReadParam();
        // Decode at no less than twice the thumbnail size, then smooth-scale: sharp and cheap.
        int step = Math.max(1, Math.max(w, h) / (2 * edge));
        p.setSourceSubsampling(step, step, 0, 0);
        return encode(scale(reader.read(0, p)));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRefusedException("cannot decode JPEG: " + e.getMessage(), e);
    }
  }

  private static ImageReader jpegReader(ImageInputStream in) throws ImageRefusedException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      try {
        if ("jpeg".equalsIgnoreCase(r.getFormatName())) {
          return r;
        }
      } catch (IOException ignored) {
        // not this one
      }
      r.dispose();
    }
    throw new ImageRefusedException("not a JPEG image", null);
  }

  private BufferedImage scale(BufferedImage src) {
    int w = src.getWidth();
    int h = src.getHeight();
    double f = Math.min(1.0, (double) edge / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * f));
    int th = Math.max(1, (int) Math.round(h * f));
    BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, tw, th, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage img) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.8f);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
