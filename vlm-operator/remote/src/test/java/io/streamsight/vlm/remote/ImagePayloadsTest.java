package io.streamsight.vlm.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePayloadsTest {
  private static byte[] image(String format, int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), format, out);
    return out.toByteArray();
  }

  @Test
  void aLongWindowIsSpreadEvenlyKeepingItsFirstAndLastFrame() {
    assertArrayEquals(new int[] {0, 1, 2}, ImagePayloads.spread(3, 8));
    assertArrayEquals(new int[] {0, 3, 6, 9}, ImagePayloads.spread(10, 4));
    assertArrayEquals(new int[] {0, 9}, ImagePayloads.spread(10, 2));
    assertArrayEquals(new int[] {5}, ImagePayloads.spread(10, 1));
    assertArrayEquals(new int[] {}, ImagePayloads.spread(0, 4));
  }

  @Test
  void anImageWithinTheEdgeIsSentByteForByte() throws Exception {
    byte[] jpeg = image("jpeg", 320, 240);
    assertSame(jpeg, ImagePayloads.fitted(jpeg, 0, 320));
    String url = ImagePayloads.dataUrl(jpeg, 0, 512);
    assertTrue(url.startsWith("data:image/jpeg;base64,"));
    assertArrayEquals(jpeg, Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)));
  }

  @Test
  void aLargerImageIsScaledToTheEdgeKeepingItsAspect() throws Exception {
    byte[] png = image("png", 1000, 2000);
    String url = ImagePayloads.dataUrl(png, 0, 500);
    // re-encoded as JPEG whatever it was
    assertTrue(url.startsWith("data:image/jpeg;base64,"), url.substring(0, 30));
    BufferedImage sent =
        ImageIO.read(
            new ByteArrayInputStream(
                Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    assertEquals(250, sent.getWidth());
    assertEquals(500, sent.getHeight());
  }

  @Test
  void aSmallPngKeepsItsType() throws Exception {
    assertTrue(ImagePayloads.dataUrl(image("png", 10, 10), 0, 64).startsWith("data:image/png;"));
  }

  @Test
  void bytesThatAreNoImageFailTheRequestNamingTheImage() {
    ImagePayloads.BadImageException e =
        assertThrows(
            ImagePayloads.BadImageException.class,
            () -> ImagePayloads.dataUrls(List.of(new byte[] {1, 2, 3}), 4, 64));
    assertTrue(e.getMessage().contains("image 0"), e.getMessage());
  }
}
