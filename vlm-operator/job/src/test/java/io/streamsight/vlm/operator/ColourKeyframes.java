package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import javax.imageio.ImageIO;

/** Keyframes of solid colours, as the sampler would emit them for a red-then-blue video. */
final class ColourKeyframes {
  /**
   * One event-time origin for all runs of the test JVM (aligned to windows) so two runs produce
   * identical records. Recent on purpose: output records carry their window's event time as Kafka
   * timestamp, and the broker's time retention would delete records dated long ago.
   */
  static final long T0_MICROS = (System.currentTimeMillis() / 60_000 * 60_000 - 60_000) * 1000;

  private ColourKeyframes() {}

  static Keyframe keyframe(String camera, long offsetMillis, Color colour) {
    return Keyframe.newBuilder()
        .setCameraId(camera)
        .setIngestSessionId("it-session")
        .setSequence(offsetMillis)
        .setCaptureTimeMicros(T0_MICROS + offsetMillis * 1000)
        .setPtsMicros(offsetMillis * 1000)
        .setWidth(64)
        .setHeight(64)
        .setJpeg(ByteBuffer.wrap(jpeg(colour)))
        .setFeatures(
            FrameFeatures.newBuilder()
                .setDhash(0)
                .setThumbnail(ByteBuffer.wrap(new byte[64]))
                .setColorHistogram(Collections.nCopies(24, 0f))
                .build())
        .setReason(KeyframeReason.SCENE_CHANGE)
        .setNoveltyScore(0.5f)
        .build();
  }

  static byte[] jpeg(Color colour) {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 64, 64);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A real JPEG of a few hundred bytes whose SOF0 header is patched to declare {@code w}x{@code h}
   * pixels: a decompression bomb (decoding would allocate for the declared size).
   */
  static byte[] jpegDeclaring(int w, int h) {
    byte[] jpeg = jpeg(Color.GRAY);
    for (int i = 2; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
        // FFC0, segment length (2), precision (1), height (2), width (2)
        ByteBuffer.wrap(jpeg).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
        return jpeg;
      }
    }
    throw new AssertionError("no SOF0 marker in ImageIO's JPEG");
  }
}
