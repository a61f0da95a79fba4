package io.streamsight.vlm.remote;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * A window's images as a model server takes them: at most {@code maxImages}, spread evenly over the
 * window, each no longer than {@code maxImageEdge} on its longest side, as base64 data URLs. Images
 * within the edge are sent byte for byte (only their header is read); larger ones are decoded,
 * scaled and re-encoded as JPEG, which costs a few milliseconds per frame on the caller.
 */
final class ImagePayloads {
  private static final float JPEG_QUALITY = 0.85f;
  private static final long MAX_PIXELS = 50_000_000L;

  private ImagePayloads() {}

  /** A request's images could not be prepared; fails that request alone. */
  static final class BadImageException extends Exception {
    BadImageException(String message) {
      super(message);
    }
  }

  /**
   * Indices of {@code keep} of {@code n} items spread evenly: the first and the last of the window
   * and the rest in between (one item: the middle one).
   */
  static int[] spread(int n, int keep) {
    if (n <= keep) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] idx = new int[keep];
    if (keep == 1) {
      idx[0] = n / 2;
      return idx;
    }
    for (int i = 0; i < keep; i++) {
      idx[i] = (int) Math.round(i * (n - 1) / (double) (keep - 1));
    }
    return idx;
  }

  static List<String> dataUrls(List<byte[]> images, int maxImages, int maxImageEdge)
      throws BadImageException {
    List<String> urls = new ArrayList<>();
    for (int i : spread(images.size(), maxImages)) {
      urls.add(dataUrl(images.get(i), i, maxImageEdge));
    }
    return urls;
  }

  static String dataUrl(byte[] image, int index, int maxImageEdge) throws BadImageException {
    String mime = isPng(image) ? "image/png" : "image/jpeg";
    byte[] bytes = fitted(image, index, maxImageEdge);
    if (bytes != image) {
      mime = "image/jpeg";
    }
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** {@code image} itself when it fits, else a scaled-down JPEG. */
  static byte[] fitted(byte[] image, int index, int maxImageEdge) throws BadImageException {
    int[] size = size(image, index);
    int longest = Math.max(size[0], size[1]);
    if ((long) size[0] * size[1] > MAX_PIXELS) {
      // A header can claim any size; decoding it would allocate width * height * 4 bytes.
      throw new BadImageException(
          "image " + index + " claims " + size[0] + "x" + size[1] + " pixels, over " + MAX_PIXELS);
    }
    if (longest <= maxImageEdge) {
      return image;
    }
    BufferedImage src;
    try {
      src = ImageIO.read(new ByteArrayInputStream(image));
    } catch (IOException | RuntimeException e) {
      throw new BadImageException("image " + index + " cannot be decoded: " + e.getMessage());
    }
    if (src == null) {
      throw new BadImageException("image " + index + " is neither JPEG nor PNG");
    }
    double scale = maxImageEdge / (double) longest;
    int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
    BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = dst.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return jpeg(dst, index);
  }

  /** Width and height from the image's header, without decoding its pixels. */
  private static int[] size(byte[] image, int index) throws BadImageException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new BadImageException("image " + index + " is neither JPEG nor PNG");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new BadImageException("image " + index + " cannot be read: " + e.getMessage());
    }
  }

  private static byte[] jpeg(BufferedImage img, int index) throws BadImageException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new BadImageException("image " + index + " cannot be re-encoded: " + e.getMessage());
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static boolean isPng(byte[] b) {
    return b.length >= 4 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }
}
