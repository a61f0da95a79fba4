package io.streamsight.ingest.frame;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigException;

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

  /** Checks the values; a bad one fails naming its {@code cameras.yaml} key. */
  public PipelineSettings {
    if (!(targetFps > 0) || targetFps > 240) {
      throw ConfigException.invalid("fps", targetFps, "a number in (0, 240]");
    }
    Checks.inRange("maxEdge", maxEdge, 16, 8192);
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
