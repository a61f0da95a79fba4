package io.streamsight.ingest.frame;

/**
 * How decoded pictures become {@link io.streamsight.schemas.avro.Frame} records.
 *
 * @param targetFps frames kept per second of stream time (sampling is by timestamp)
 * @param maxEdge longest edge of the published JPEG in pixels (never upscaled)
 * @param jpegQuality 1..100, mapped onto FFmpeg's mjpeg qscale 31..2
 */
public record PipelineSettings(double targetFps, int maxEdge, int jpegQuality) {
  public static final double DEFAULT_FPS = 5;
  public static final int DEFAULT_MAX_EDGE = 1024;
  public static final int DEFAULT_JPEG_QUALITY = 85;

  public PipelineSettings {
    if (!(targetFps > 0) || targetFps > 240) {
      throw new IllegalArgumentException("fps must be in (0, 240], got " + targetFps);
    }
    if (maxEdge < 16 || maxEdge > 8192) {
      throw new IllegalArgumentException("max-edge must be in 16..8192, got " + maxEdge);
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("jpeg-quality must be in 1..100, got " + jpegQuality);
    }
  }

  public static PipelineSettings defaults() {
    return new PipelineSettings(DEFAULT_FPS, DEFAULT_MAX_EDGE, DEFAULT_JPEG_QUALITY);
  }

  public PipelineSettings withFps(double fps) {
    return new PipelineSettings(fps, maxEdge, jpegQuality);
  }

  public PipelineSettings withMaxEdge(int edge) {
    return new PipelineSettings(targetFps, edge, jpegQuality);
  }

  public PipelineSettings withJpegQuality(int quality) {
    return new PipelineSettings(targetFps, maxEdge, quality);
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
