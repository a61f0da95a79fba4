package io.streamsight.testkit.records;

import io.streamsight.schemas.avro.Frame;
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

/**
 * Frame and Keyframe records for tests, filled in with plain defaults. The builders are returned
 * open so a test sets only what it is about ({@code frame("cam-1", 7, t).setFeatures(f).build()}).
 * Features here are placeholders; a test whose stage reads them computes real ones (the sampler's
 * tests use ingest's extractor) and sets them.
 */
public final class FrameRecords {
  public static final int WIDTH = 64;
  public static final int HEIGHT = 48;

  private FrameRecords() {}

  /**
   * A frame of {@code camera} with sequence {@code seq} captured at {@code captureMicros}
   * (presentation time the same), session "test-session", {@link #WIDTH}x{@link #HEIGHT}, a 1 kB
   * {@link #fakeJpeg} and {@link #blankFeatures}.
   */
  public static Frame.Builder frame(String camera, long seq, long captureMicros) {
    return Frame.newBuilder()
        .setCameraId(camera)
        .setIngestSessionId("test-session")
        .setSequence(seq)
        .setCaptureTimeMicros(captureMicros)
        .setPtsMicros(captureMicros)
        .setWidth(WIDTH)
        .setHeight(HEIGHT)
        .setJpeg(ByteBuffer.wrap(fakeJpeg(1_000, seq)))
        .setFeatures(blankFeatures());
  }

  /** The keyframe the sampler would emit for {@code f}: a scene change of novelty 0.5. */
  public static Keyframe.Builder keyframe(Frame f) {
    return Keyframe.newBuilder()
        .setCameraId(f.getCameraId())
        .setIngestSessionId(f.getIngestSessionId())
        .setSequence(f.getSequence())
        .setCaptureTimeMicros(f.getCaptureTimeMicros())
        .setPtsMicros(f.getPtsMicros())
        .setWidth(f.getWidth())
        .setHeight(f.getHeight())
        .setJpeg(f.getJpeg())
        .setFeatures(f.getFeatures())
        .setReason(KeyframeReason.SCENE_CHANGE)
        .setNoveltyScore(0.5f);
  }

  /** Features of nothing in particular: hash 0, a black thumbnail, an empty histogram. */
  public static FrameFeatures blankFeatures() {
    return FrameFeatures.newBuilder()
        .setDhash(0)
        .setThumbnail(ByteBuffer.wrap(new byte[64]))
        .setColorHistogram(Collections.nCopies(24, 0f))
        .build();
  }

  /**
   * {@code bytes} bytes that start like a JPEG (SOI marker) and end with {@code seq}'s low byte, so
   * frames of one camera differ: for stages that carry the picture without decoding it.
   */
  public static byte[] fakeJpeg(int bytes, long seq) {
    byte[] jpeg = new byte[bytes];
    jpeg[0] = (byte) 0xff;
    jpeg[1] = (byte) 0xd8;
    jpeg[bytes - 1] = (byte) seq;
    return jpeg;
  }

  /** A real JPEG of one solid colour, for stages that look at the picture (the VLM). */
  public static byte[] solidJpeg(Color colour, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
