package io.streamsight.ingest.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JpegEncodersTest {
  private static final int W = 320;
  private static final int H = 240;
  private final AVFrame picture = frame(W, H);

  @AfterEach
  void free() {
    avutil.av_frame_free(picture);
  }

  @Test
  void autoFallsBackToFfmpegMjpegWhenLibjpegTurboIsMissing() {
    try (JpegEncoder e =
        JpegEncoders.open(JpegEncoder.Choice.AUTO, 85, Optional.of("libturbojpeg not found"))) {
      assertEquals("ffmpeg-mjpeg", e.name());
      assertDecodesToThePicture(e.encode(picture));
    }
  }

  @Test
  void askingForTurboJpegWithoutTheLibraryFailsNamingThePackage() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                JpegEncoders.open(
                    JpegEncoder.Choice.TURBOJPEG, 85, Optional.of("libturbojpeg not found")));
    assertTrue(e.getMessage().contains("libturbojpeg0"), e.getMessage());
  }

  @Test
  void autoPicksLibjpegTurboWhenInstalled() {
    assumeTurboJpeg();
    try (JpegEncoder e = JpegEncoders.open(JpegEncoder.Choice.AUTO, 85)) {
      assertEquals("turbojpeg", e.name());
    }
  }

  @Test
  void turboJpegEncodesThePictureAndReusesItsBufferAcrossSizes() {
    assumeTurboJpeg();
    try (JpegEncoder e = JpegEncoders.open(JpegEncoder.Choice.TURBOJPEG, 85)) {
      byte[] first = e.encode(picture);
      assertDecodesToThePicture(first);
      assertTrue(java.util.Arrays.equals(first, e.encode(picture)), "deterministic");
      AVFrame small = frame(160, 96);
      try {
        assertEquals(160, decode(e.encode(small)).getWidth());
      } finally {
        avutil.av_frame_free(small);
      }
    }
  }

  @Test
  void ffmpegMjpegEncodesThePicture() {
    try (JpegEncoder e = JpegEncoders.open(JpegEncoder.Choice.FFMPEG, 85)) {
      assertEquals("ffmpeg-mjpeg", e.name());
      assertDecodesToThePicture(e.encode(picture));
    }
  }

  @Test
  void turboJpegRejectsAPictureThatIsNotFullRangeYuv420() {
    assumeTurboJpeg();
    AVFrame rgb = avutil.av_frame_alloc();
    rgb.width(W);
    rgb.height(H);
    rgb.format(avutil.AV_PIX_FMT_RGB24);
    try (JpegEncoder e = JpegEncoders.open(JpegEncoder.Choice.TURBOJPEG, 85)) {
      assertThrows(IllegalArgumentException.class, () -> e.encode(rgb));
    } finally {
      avutil.av_frame_free(rgb);
    }
  }

  private static void assumeTurboJpeg() {
    assumeTrue(
        TurboJpegLibrary.loadError().isEmpty(),
        () -> "skipped: " + TurboJpegLibrary.loadError().get() + TurboJpegLibrary.HINT);
  }

  /** Decoded size is right and grey levels are within JPEG error of the source's luma ramp. */
  private static void assertDecodesToThePicture(byte[] jpeg) {
    BufferedImage img = decode(jpeg);
    assertEquals(W, img.getWidth());
    assertEquals(H, img.getHeight());
    double err = 0;
    for (int y = 0; y < H; y += 7) {
      for (int x = 0; x < W; x += 7) {
        int grey = img.getRGB(x, y) & 0xff;
        err += Math.abs(grey - expectedLuma(x, y));
      }
    }
    double mean = err / (((H + 6) / 7) * ((W + 6) / 7));
    assertTrue(mean < 4, "mean abs error " + mean);
  }

  private static BufferedImage decode(byte[] jpeg) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      assertTrue(img != null, "not a JPEG ImageIO can read");
      return img;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int expectedLuma(int x, int y) {
    return 16 + (x * 200 / W + y * 20 / H);
  }

  /** A grey full-range YUV 4:2:0 ramp (neutral chroma). */
  private static AVFrame frame(int w, int h) {
    AVFrame f = avutil.av_frame_alloc();
    f.width(w);
    f.height(h);
    f.format(avutil.AV_PIX_FMT_YUVJ420P);
    avutil.av_frame_get_buffer(f, 32);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        f.data(0).put((long) y * f.linesize(0) + x, (byte) (16 + (x * 200 / w + y * 20 / h)));
      }
    }
    for (int p = 1; p < 3; p++) {
      for (long i = 0; i < (long) f.linesize(p) * h / 2; i++) {
        f.data(p).put(i, (byte) 128);
      }
    }
    return f;
  }
}
