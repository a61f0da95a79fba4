package io.streamsight.sampler;

import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Synthetic Frame records for the rule tests: small pictures whose features are computed exactly as
 * ingest computes them ({@link FeatureExtractor}).
 */
final class TestFrames {
  static final int W = FrameRecords.WIDTH;
  static final int H = FrameRecords.HEIGHT;

  private TestFrames() {}

  /** A structured scene: 8x8 blocks of random colours chosen by {@code seed}. */
  static BufferedImage scene(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] blocks = new int[64];
    for (int i = 0; i < 64; i++) {
      blocks[i] = rnd.nextInt(0x1000000);
    }
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img.setRGB(x, y, blocks[(y * 8 / H) * 8 + x * 8 / W]);
      }
    }
    return img;
  }

  /** A copy of {@code img} with per-pixel noise of +-amplitude and a global brightness shift. */
  static BufferedImage noisy(BufferedImage img, int amplitude, int brightness, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    BufferedImage out = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = img.getRGB(x, y);
        int n = amplitude == 0 ? 0 : rnd.nextInt(2 * amplitude + 1) - amplitude;
        int d = n + brightness;
        out.setRGB(
            x,
            y,
            clamp((p >> 16 & 0xff) + d) << 16
                | clamp((p >> 8 & 0xff) + d) << 8
                | clamp((p & 0xff) + d));
      }
    }
    return out;
  }

  /** A copy of {@code img} with the cells of thumbnail row {@code row} painted {@code rgb}. */
  static BufferedImage paintRow(BufferedImage img, int row, int rgb) {
    BufferedImage out = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        out.setRGB(x, y, y * 8 / H == row ? rgb : img.getRGB(x, y));
      }
    }
    return out;
  }

  static Frame frame(String camera, String session, long seq, long timeMicros, BufferedImage img) {
    return frame(camera, session, seq, timeMicros, FeatureExtractor.fromImage(img), 1_000);
  }

  static Frame frame(
      String camera,
      String session,
      long seq,
      long timeMicros,
      FrameFeatures features,
      int jpegBytes) {
    return FrameRecords.frame(camera, seq, timeMicros)
        .setIngestSessionId(session)
        .setJpeg(ByteBuffer.wrap(FrameRecords.fakeJpeg(jpegBytes, seq)))
        .setFeatures(features)
        .build();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
