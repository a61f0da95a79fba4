package io.streamsight.vlm.operator;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.Color;
import java.nio.ByteBuffer;

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
    return FrameRecords.keyframe(
            FrameRecords.frame(camera, offsetMillis, T0_MICROS + offsetMillis * 1000)
                .setIngestSessionId("it-session")
                .setPtsMicros(offsetMillis * 1000)
                .setWidth(64)
                .setHeight(64)
                .setJpeg(ByteBuffer.wrap(FrameRecords.solidJpeg(colour, 64, 64)))
                .build())
        .build();
  }

  /**
   * A real JPEG of a few hundred bytes whose SOF0 header is patched to declare {@code w}x{@code h}
   * pixels: a decompression bomb (decoding would allocate for the declared size).
   */
  static byte[] jpegDeclaring(int w, int h) {
    byte[] jpeg = FrameRecords.solidJpeg(Color.GRAY, 64, 64);
    for (int i = 2; i + 8 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
        // FFC0, segment length (2), precision (1), height (2), width (2)
        ByteBuffer.wrap(jpeg).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
        return jpeg;
      }
    }
    throw new AssertionError("no SOF0 marker in the JPEG encoder's output");
  }
}
