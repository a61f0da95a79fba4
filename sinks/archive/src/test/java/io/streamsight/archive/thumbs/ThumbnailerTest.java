package io.streamsight.archive.thumbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.archive.ArchiveRecords;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ThumbnailerTest {
  private final Thumbnailer t = new Thumbnailer(320, 16_000_000, 32 << 20);

  @Test
  void shouldScaleTheLongestEdgeTo320() throws Exception {
    byte[] thumb = t.thumbnail(ArchiveRecords.jpeg(1920, 1080, Color.BLUE));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumb));
    assertEquals(320, img.getWidth());
    assertEquals(180, img.getHeight());
  }

  @Test
  void shouldRefuseADecompressionBombFromItsHeaderAlone() {
    byte[] jpeg = ArchiveRecords.jpeg(64, 48, Color.RED);
    // Claim 30000 x 30000 (900 MP) in the frame header; the body stays 64 x 48.
    for (int i = 0; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
        jpeg[i + 5] = (byte) (30000 >> 8);
        jpeg[i + 6] = (byte) (30000 & 0xFF);
        jpeg[i + 7] = (byte) (30000 >> 8);
        jpeg[i + 8] = (byte) (30000 & 0xFF);
        break;
      }
    }
    ImageRefusedException e = assertThrows(ImageRefusedException.class, () -> t.thumbnail(jpeg));
    assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
  }

  @Test
  void shouldRefuseWhatIsNotAJpeg() {
    assertThrows(ImageRefusedException.class, () -> t.thumbnail("not an image".getBytes()));
    assertThrows(ImageRefusedException.class, () -> t.thumbnail(new byte[0]));
  }
}
