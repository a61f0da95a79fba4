package io.streamsight.ingest.frame;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the JPEG encoder: libjpeg-turbo's TurboJPEG API when the system library is present (about
 * 1.4x faster than FFmpeg's mjpeg per 1024 px frame here, see docs/benchmarks/ingest.md), else
 * FFmpeg's mjpeg, which ships with JavaCV and always works. Each distinct choice is logged once per
 * process (not once per camera).
 */
public final class JpegEncoders {
  private static final Logger LOG = LoggerFactory.getLogger(JpegEncoders.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private JpegEncoders() {}

  /**
   * An encoder for {@code quality} (1..100).
   *
   * @throws IllegalStateException if {@code choice} is TURBOJPEG and libjpeg-turbo cannot be loaded
   */
  public static JpegEncoder open(JpegEncoder.Choice choice, int quality) {
    return open(choice, quality, TurboJpegLibrary.loadError());
  }

  /**
   * Why {@code choice} cannot be honoured on this machine (only TURBOJPEG without the library), for
   * rejecting a configuration before any camera starts.
   */
  public static Optional<String> unavailableReason(JpegEncoder.Choice choice) {
    Optional<String> missing = TurboJpegLibrary.loadError();
    return choice == JpegEncoder.Choice.TURBOJPEG && missing.isPresent()
        ? Optional.of(notAvailable(missing.get()))
        : Optional.empty();
  }

  private static String notAvailable(String why) {
    return "jpeg-encoder turbojpeg asked for, but " + why + TurboJpegLibrary.HINT;
  }

  /** As {@link #open(JpegEncoder.Choice, int)}, given why libjpeg-turbo is missing (if it is). */
  static JpegEncoder open(JpegEncoder.Choice choice, int quality, Optional<String> turboMissing) {
    switch (choice) {
      case FFMPEG:
        logOnce("JPEG encoder: FFmpeg mjpeg (asked for)");
        return new FfmpegJpegEncoder(quality);
      case TURBOJPEG:
        if (turboMissing.isPresent()) {
          throw new IllegalStateException(notAvailable(turboMissing.get()));
        }
        logOnce("JPEG encoder: libjpeg-turbo (asked for)");
        return new TurboJpegEncoder(quality);
      default:
        if (turboMissing.isPresent()) {
          if (LOGGED.add("fallback")) {
            LOG.warn(
                "JPEG encoder: FFmpeg mjpeg (fallback; slower): {}{}",
                turboMissing.get(),
                TurboJpegLibrary.HINT);
          }
          return new FfmpegJpegEncoder(quality);
        }
        logOnce("JPEG encoder: libjpeg-turbo (auto)");
        return new TurboJpegEncoder(quality);
    }
  }

  private static void logOnce(String message) {
    if (LOGGED.add(message)) {
      LOG.info(message);
    }
  }
}
