package io.streamsight.ingest.frame;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.topics.Topics;

/**
 * How decoded pictures become {@link io.streamsight.schemas.avro.Frame} records.
 *
 * @param targetFps frames kept per second of stream time (sampling is by timestamp)
 * @param maxEdge longest edge of the published JPEG in pixels (never upscaled)
 * @param jpegQuality 1..100 (libjpeg's scale with libjpeg-turbo; mapped onto mjpeg's qscale 31..2
 *     with the FFmpeg fallback)
 * @param jpegEncoder which JPEG encoder to use (default {@link JpegEncoder.Choice#AUTO})
 */
public record PipelineSettings(
    double targetFps, int maxEdge, int jpegQuality, JpegEncoder.Choice jpegEncoder) {
  public static final double DEFAULT_FPS = 5;
  public static final int DEFAULT_MAX_EDGE = 1024;
  public static final int DEFAULT_JPEG_QUALITY = 85;

  /** Room the frame record needs beside its JPEG (ids, times, features, Avro framing). */
  static final int FRAME_OVERHEAD_BYTES = 4096;

  /** The largest max edge whose worst-case frame fits the frames topic. */
  public static final int MAX_EDGE_LIMIT = maxEdgeLimit();

  /**
   * The largest a frame of a {@code maxEdge} x {@code maxEdge} picture can get, whatever the
   * quality and content: libjpeg-turbo's own output bound for 4:2:0 ({@code tjBufSize}: 3 bytes per
   * pixel of the picture padded to 16 x 16 blocks, plus 2048) and the record's other fields. The
   * source's aspect ratio is unknown at start, so the square is the worst case.
   */
  public static long worstCaseFrameBytes(int maxEdge) {
    long padded = (maxEdge + 15L) / 16 * 16;
    return padded * padded * 3 + 2048 + FRAME_OVERHEAD_BYTES;
  }

  private static int maxEdgeLimit() {
    int edge = 16;
    while (worstCaseFrameBytes(edge + 16) <= Topics.FRAMES.maxMessageBytes()) {
      edge += 16;
    }
    return edge;
  }

  /** Checks the values; a bad one fails naming its {@code cameras.yaml} key. */
  public PipelineSettings {
    if (!(targetFps > 0) || targetFps > 240) {
      throw ConfigException.invalid("fps", targetFps, "a number in (0, 240]");
    }
    // The worst-case JPEG of this edge must fit the frames topic's max.message.bytes.
    if (maxEdge < 16 || maxEdge > MAX_EDGE_LIMIT) {
      throw ConfigException.invalid(
          "maxEdge",
          maxEdge,
          "an integer in 16.."
              + MAX_EDGE_LIMIT
              + " (a JPEG of a larger edge can exceed the "
              + Topics.FRAMES.name()
              + " limit of "
              + Topics.FRAMES.maxMessageBytes()
              + " bytes, max.message.bytes)");
    }
    Checks.inRange("jpegQuality", jpegQuality, 1, 100);
    if (jpegEncoder == null) {
      throw ConfigException.invalid("jpegEncoder", null, "auto, turbojpeg or ffmpeg");
    }
  }

  /** With the automatic JPEG encoder choice. */
  public PipelineSettings(double targetFps, int maxEdge, int jpegQuality) {
    this(targetFps, maxEdge, jpegQuality, JpegEncoder.Choice.AUTO);
  }

  public static PipelineSettings defaults() {
    return new PipelineSettings(DEFAULT_FPS, DEFAULT_MAX_EDGE, DEFAULT_JPEG_QUALITY);
  }

  public PipelineSettings withFps(double fps) {
    return new PipelineSettings(fps, maxEdge, jpegQuality, jpegEncoder);
  }

  public PipelineSettings withMaxEdge(int edge) {
    return new PipelineSettings(targetFps, edge, jpegQuality, jpegEncoder);
  }

  public PipelineSettings withJpegQuality(int quality) {
    return new PipelineSettings(targetFps, maxEdge, quality, jpegEncoder);
  }

  public PipelineSettings withJpegEncoder(JpegEncoder.Choice choice) {
    return new PipelineSettings(targetFps, maxEdge, jpegQuality, choice);
  }

  public long intervalMicros() {
    return Math.round(1_000_000 / targetFps);
  }

  /** Output size for a source of {@code w x h}: longest edge capped, aspect kept, even sizes. */
  public int[] outputSize(int w, int h) {
    double scale = Math.min(1.0, (double) maxEdge / Math.max(w, h));
    int ow = Math.max(16, (int) Math.round(w * scale) & ~1);
    int oh = Math.max(16, (int) Math.round(h * scale) & ~1);
    return new int[] {ow, oh};
  }
}
