package io.streamsight.ingest.frame;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Encodes a full-range YUV 4:2:0 picture ({@link FrameScaler#yuv()}) as a baseline JFIF JPEG. A
 * native encoder, never ImageIO: this runs for every published frame on the decoder thread.
 *
 * <p>Implementations are not thread-safe (one per camera) and hold native memory: close them.
 * Obtain one from {@link JpegEncoders#open}.
 */
public interface JpegEncoder extends AutoCloseable {
  /** Which encoder this is, for logs and summaries (e.g. {@code turbojpeg}). */
  String name();

  /** The JPEG bytes of {@code yuv} (format YUVJ420P, even width and height). */
  byte[] encode(AVFrame yuv);

  @Override
  void close();

  /** Which encoder a camera asks for. */
  enum Choice {
    /** libjpeg-turbo when the system has it, else FFmpeg's mjpeg (logged once). */
    AUTO,
    /** libjpeg-turbo or fail the camera: for deployments that count on its speed. */
    TURBOJPEG,
    /** FFmpeg's mjpeg, always available. */
    FFMPEG;

    /** Parses a CLI/YAML value: {@code auto}, {@code turbojpeg} or {@code ffmpeg}. */
    public static Choice parse(String value) {
      for (Choice c : values()) {
        if (c.name().equalsIgnoreCase(value.trim())) {
          return c;
        }
      }
      throw new IllegalArgumentException(
          "jpeg-encoder must be auto, turbojpeg or ffmpeg, got '" + value + "'");
    }
  }
}
