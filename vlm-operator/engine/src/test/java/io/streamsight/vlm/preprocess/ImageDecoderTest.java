package io.streamsight.vlm.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.preprocess.ImageDecoder.ImageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Decompression bombs: real small images whose headers are patched to declare 30000x30000 px must
 * be refused from the header, before any pixel buffer is allocated.
 */
@Timeout(30)
class ImageDecoderTest {
  /** Far below the 2.7 GB a 30000x30000 RGB image needs, far above a header parse. */
  private static final long ALLOCATION_BUDGET = 32L << 20;

  @Test
  void aSmallJpegDeclaring30000SquaredIsRefusedFromItsHeader() throws IOException {
    byte[] bomb = jpegDeclaring(30000, 30000);
    assertTrue(bomb.length < 1024, bomb.length + " bytes");
    assertEquals(new ImageSize(30000, 30000), sizeIgnoringLimit(bomb));

    ImageTooLargeException e =
        assertAllocatesLittle(ImageTooLargeException.class, () -> ImageDecoder.decode(bomb));
    assertTrue(e.getMessage().contains("30000x30000 px"), e.getMessage());
    assertTrue(e.getMessage().contains("900.0 MP"), e.getMessage());
    assertEquals(new ImageSize(30000, 30000), e.size());
    assertThrows(ImageTooLargeException.class, () -> ImageDecoder.check(bomb, 30000, 30000));
  }

  @Test
  void aSmallPngDeclaring30000SquaredIsRefusedToo() throws IOException {
    byte[] png = encode(image(16, 16), "png");
    // IHDR: 8-byte signature, length, "IHDR", width, height, ..., CRC over type and data.
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, 30000).putInt(20, 30000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    ImageTooLargeException e =
        assertAllocatesLittle(ImageTooLargeException.class, () -> ImageDecoder.decode(png));
    assertTrue(e.getMessage().contains("30000x30000 px"), e.getMessage());
  }

  @Test
  void imagesAtTheLimitStillDecode() throws IOException {
    RgbImage img = ImageDecoder.decode(encode(image(64, 48), "jpg"));
    assertEquals(64, img.width());
    assertEquals(48, img.height());
    assertEquals(4096L * 4096L, ImageDecoder.MAX_PIXELS);
  }

  @Test
  void aSizeFarFromTheDeclaredOneIsRefusedNamingBoth() throws IOException {
    byte[] jpeg = encode(image(64, 48), "jpg");
    assertEquals(new ImageSize(64, 48), ImageDecoder.check(jpeg, 64, 48));
    assertEquals(new ImageSize(64, 48), ImageDecoder.check(jpeg, 100, 40), "within 2x");
    assertEquals(new ImageSize(64, 48), ImageDecoder.check(jpeg, 0, 0), "not declared");
    ImageSizeMismatchException e =
        assertThrows(ImageSizeMismatchException.class, () -> ImageDecoder.check(jpeg, 640, 360));
    assertTrue(e.getMessage().contains("64x48 px"), e.getMessage());
    assertTrue(e.getMessage().contains("640x360 px"), e.getMessage());
  }

  @Test
  void bytesWithoutAnImageHeaderAreUnreadable() {
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.check(new byte[] {1, 2}, 1, 1));
    assertTrue(e.getMessage().contains("unreadable image"), e.getMessage());
    assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0]));
  }

  /** A real 16x16 baseline JPEG whose SOF0 segment is patched to declare {@code w}x{@code h}. */
  public static byte[] jpegDeclaring(int w, int h) throws IOException {
    byte[] jpeg = encode(image(16, 16), "jpg");
    for (int i = 2; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
        // FFC0, segment length (2), precision (1), height (2), width (2)
        ByteBuffer.wrap(jpeg).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
        return jpeg;
      }
    }
    throw new AssertionError("no SOF0 marker in ImageIO's JPEG");
  }

  private static ImageSize sizeIgnoringLimit(byte[] bytes) {
    try {
      return ImageDecoder.size(bytes);
    } catch (ImageTooLargeException e) {
      return e.size(); // the header was read: that is all this checks
    }
  }

  private static <T extends Throwable> T assertAllocatesLittle(Class<T> type, Executable run) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    assertThrows(type, run); // warm-up: ImageIO registry, classes
    long before = mx.getThreadAllocatedBytes(id);
    T e = assertThrows(type, run);
    long allocated = mx.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < ALLOCATION_BUDGET, "refusing allocated " + allocated + " bytes");
    return e;
  }

  private static BufferedImage image(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }
}
