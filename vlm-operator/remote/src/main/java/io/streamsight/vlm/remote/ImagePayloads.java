package io.streamsight.vlm.remote;

import io.streamsight.vlm.preprocess.ImageDecodeException;
import io.streamsight.vlm.preprocess.ImageDecoder;
import io.streamsight.vlm.preprocess.Resampler;
import io.streamsight.vlm.preprocess.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A window's images as a model server takes them: at most {@code maxImages}, spread evenly over the
 * window, each no longer than {@code maxImageEdge} on its longest side, as base64 data URLs. Images
 * within the edge are sent byte for byte (only their header is read); larger ones are decoded and
 * resized with the engine's one decoder and resampler and re-encoded as JPEG, which costs tens of
 * milliseconds per 1080p frame on the caller (by default ingest's frames already fit). What the
 * engine refuses (not a JPEG or PNG, a header declaring more than {@link ImageDecoder#MAX_PIXELS})
 * fails its request here too.
 */
final class ImagePayloads {
  private static final float JPEG_QUALITY = 0.85f;

  /** PIL's bilinear filter, widened when shrinking (so it averages, no aliasing). */
  private static final int BILINEAR = 2;

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
    try {
      // The engine's one decoder: header first, so a decompression bomb is refused unread.
      ImageDecoder.ImageSize size = ImageDecoder.size(image);
      int longest = Math.max(size.width(), size.height());
      if (longest <= maxImageEdge) {
        return image;
      }
      RgbImage src = ImageDecoder.decode(image);
      double scale = maxImageEdge / (double) longest;
      int w = Math.max(1, (int) Math.round(src.width() * scale));
      int h = Math.max(1, (int) Math.round(src.height() * scale));
      return jpeg(Resampler.resize(src, w, h, BILINEAR), index);
    } catch (ImageDecodeException e) {
      throw new BadImageException("image " + index + ": " + e.getMessage());
    }
  }

  private static byte[] jpeg(RgbImage rgb, int index) throws BadImageException {
    BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] src = rgb.rgb();
    for (int i = 0; i < src.length; i += 3) {
      bgr[i] = src[i + 2];
      bgr[i + 1] = src[i + 1];
      bgr[i + 2] = src[i];
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
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
