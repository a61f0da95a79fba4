package io.streamsight.ingest.source;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened source, decoded with JavaCV's {@link FFmpegFrameGrabber}, yielding native pictures and
 * their timestamps without any pixel conversion (the pipeline converts only the frames it keeps).
 *
 * <p>Decode skipping: JavaCV does not expose the codec context, so this class reads the grabber's
 * private {@code video_c} and {@code picture} fields by reflection (pinned JavaCV version). Without
 * {@code video_c} it logs once and decodes everything (slower, still correct); without {@code
 * picture} opening fails with a clear message. Not thread-safe: owned by one decoder thread.
 */
public final class GrabberSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrabberSource.class);
  private static final Field VIDEO_C = field("video_c");
  private static final Field PICTURE = field("picture");
  // A run of consecutive read/decode errors this long means the input is garbage, not a glitch.
  private static final int MAX_CONSECUTIVE_ERRORS = 50;
  // libavutil/frame.h: the decoder flags pictures it could not decode cleanly (not in the presets).
  private static final int AV_FRAME_FLAG_CORRUPT = 1;
  private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-\\d+)");

  /** How aggressively the decoder may skip frames that will not be kept. */
  public enum SkipMode {
    /** Decode everything. */
    NONE,
    /** Skip non-reference frames while the next kept frame is more than a few frames away. */
    AUTO,
    /** Decode keyframes only (cheapest, rate limited by the GOP). */
    KEYFRAMES
  }

  /** A decoded picture, valid until the next {@link #next()} call. */
  public record Picture(AVFrame frame, long ptsMicros, boolean keyFrame) {}

  private final SourceSpec spec;
  private final FFmpegFrameGrabber grabber;
  private final AVCodecContext codec;
  private final long frameIntervalMicros;
  private long corruptPackets;
  private long skippedByDecode;
  private long decoded;
  private long lastPts = Long.MIN_VALUE;
  private int lastDiscard = -1;
  private long skipRecentUntil = -1;

  private GrabberSource(SourceSpec spec, FFmpegFrameGrabber grabber) {
    this.spec = spec;
    this.grabber = grabber;
    this.codec = read(VIDEO_C, grabber, AVCodecContext.class);
    double fps = grabber.getFrameRate();
    this.frameIntervalMicros = fps > 0 && fps < 1000 ? Math.round(1_000_000 / fps) : 40_000;
  }

  /** Loads FFmpeg's native libraries now (seconds on a cold start) rather than on first open. */
  public static void loadNatives() {
    try {
      FFmpegFrameGrabber.tryLoad();
    } catch (FrameGrabber.Exception e) {
      throw new IllegalStateException(
          "FFmpeg native libraries failed to load: " + e.getMessage(), e);
    }
  }

  /**
   * Opens and probes a source.
   *
   * @param decodeThreads FFmpeg decoder threads for this camera (1 keeps one core per camera)
   */
  public static GrabberSource open(SourceSpec spec, int decodeThreads) throws SourceException {
    String name = spec.redactedInput();
    if (spec.kind() == SourceSpec.Kind.FILE) {
      Path p = Path.of(spec.input());
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new SourceException(name, "file does not exist or is not readable", false, null);
      }
    }
    if (PICTURE == null) {
      throw new SourceException(
          name,
          "incompatible JavaCV version: FFmpegFrameGrabber.picture not accessible",
          false,
          null);
    }
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.input());
    if (spec.format() != null) {
      g.setFormat(spec.format());
    }
    spec.options().forEach(g::setOption);
    g.setOption("fflags", "+discardcorrupt");
    g.setVideoOption("threads", Integer.toString(decodeThreads));
    if (spec.live()) {
      g.setTimeout(10_000); // ms, interrupt callback: no read blocks a decoder thread forever
    }
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(g);
      // FFmpeg's and JavaCV's texts quote the URL as given, password included.
      Redactor r = spec.redactor();
      throw new SourceException(
          name, r.redact("could not open: " + ffmpegMessage(e)), spec.live(), r.redact(e));
    }
    if (!g.hasVideo() || g.getImageWidth() <= 0) {
      closeQuietly(g);
      throw new SourceException(
          name, "no decodable video stream (format " + g.getFormat() + ")", false, null);
    }
    LOG.info(
        "opened {} ({} {}x{} @ {} fps, codec {})",
        name,
        g.getFormat(),
        g.getImageWidth(),
        g.getImageHeight(),
        String.format("%.2f", g.getFrameRate()),
        g.getVideoCodecName());
    return new GrabberSource(spec, g);
  }

  /**
   * Decodes the next picture, or returns null at end of stream. For live sources, end of stream
   * also means the connection was lost (FFmpeg reports read errors as EOF).
   *
   * @param untilDueMicros time from the last picture to the next one the caller will keep; drives
   *     decode skipping in {@link SkipMode#AUTO}
   */
  public Picture next(SkipMode mode, long untilDueMicros) throws SourceException {
    applySkip(mode, untilDueMicros);
    int errors = 0;
    while (true) {
      org.bytedeco.javacv.Frame f;
      try {
        f = grabber.grabFrame(false, true, false, false, false);
      } catch (FrameGrabber.Exception | RuntimeException e) {
        corruptPackets++;
        if (++errors >= MAX_CONSECUTIVE_ERRORS) {
          Redactor r = spec.redactor();
          throw new SourceException(
              spec.redactedInput(),
              r.redact(errors + " consecutive read/decode errors, last: " + e.getMessage()),
              spec.live(),
              r.redact(e));
        }
        continue;
      }
      if (f == null) {
        return null;
      }
      AVFrame picture = read(PICTURE, grabber, AVFrame.class);
      if (picture == null || picture.width() <= 0) {
        continue;
      }
      long pts = f.timestamp;
      if (lastPts != Long.MIN_VALUE && pts - lastPts > frameIntervalMicros * 3 / 2) {
        // A timestamp gap is frames we never got: skipped on purpose if skip_frame was on during
        // the last few pictures (the decoder outputs with a delay of up to a few frames), otherwise
        // lost to corrupt or discarded packets. While skipping, the two cannot be told apart and
        // count as skipped.
        long missing = Math.max(0, Math.round((double) (pts - lastPts) / frameIntervalMicros) - 1);
        if (decoded <= skipRecentUntil) {
          skippedByDecode += missing;
        } else {
          corruptPackets += missing;
        }
      }
      lastPts = pts;
      if ((picture.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || picture.decode_error_flags() != 0) {
        // The decoder concealed errors in this picture: never publish damaged pixels.
        corruptPackets++;
        continue;
      }
      decoded++;
      return new Picture(picture, pts, f.keyFrame);
    }
  }

  private void applySkip(SkipMode mode, long untilDueMicros) {
    if (codec == null) {
      return;
    }
    int discard =
        switch (mode) {
          case NONE -> avcodec.AVDISCARD_DEFAULT;
          case KEYFRAMES -> avcodec.AVDISCARD_NONKEY;
          // Skip non-reference frames unless the next kept frame is within one frame. With
          // B-frames the decoder works a few frames ahead of its output, so the kept frame can be
          // a non-reference one that gets skipped: the next decoded frame is kept instead (<= 1-2
          // source frames late). That jitter buys ~2x more skipped frames than a safe margin.
          case AUTO ->
              untilDueMicros > 1L * frameIntervalMicros
                  ? avcodec.AVDISCARD_NONREF
                  : avcodec.AVDISCARD_DEFAULT;
        };
    if (discard != avcodec.AVDISCARD_DEFAULT) {
      skipRecentUntil = decoded + 4;
    }
    if (discard != lastDiscard) {
      codec.skip_frame(discard);
      lastDiscard = discard;
    }
  }

  public int width() {
    return grabber.getImageWidth();
  }

  public int height() {
    return grabber.getImageHeight();
  }

  public double frameRate() {
    return grabber.getFrameRate();
  }

  /** The container's duration in microseconds, or 0 when it does not say (live streams). */
  public long lengthMicros() {
    return Math.max(0, grabber.getLengthInTime());
  }

  public long decoded() {
    return decoded;
  }

  /**
   * Read/decode errors, pictures the decoder flagged as damaged, and frames missing from the
   * timeline while not skipping (packets FFmpeg discarded as corrupt or lost).
   */
  public long corruptPackets() {
    return corruptPackets;
  }

  /** Frames never decoded thanks to skip_frame (estimated from timestamp gaps while skipping). */
  public long skippedByDecode() {
    return skippedByDecode;
  }

  public SourceSpec spec() {
    return spec;
  }

  @Override
  public void close() {
    closeQuietly(grabber);
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (Exception e) {
      LOG.debug("closing grabber: {}", Redactor.generic().redact(e.toString()));
    }
  }

  /** JavaCV's message reduced to the FFmpeg call and FFmpeg's own text for the error code. */
  static String ffmpegMessage(Exception e) {
    String m = String.valueOf(e.getMessage());
    Matcher em = FFMPEG_ERROR.matcher(m);
    int hint = m.indexOf(" (Has setFormat()");
    String base = hint > 0 ? m.substring(0, hint) : m;
    if (em.find()) {
      byte[] buf = new byte[256];
      avutil.av_strerror(Integer.parseInt(em.group(1)), buf, buf.length);
      int len = 0;
      while (len < buf.length && buf[len] != 0) {
        len++;
      }
      base = base + " (" + new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8) + ")";
    }
    return base;
  }

  private static Field field(String name) {
    try {
      Field f = FFmpegFrameGrabber.class.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(GrabberSource.class)
          .warn(
              "JavaCV internals changed (field {} not accessible): decode skipping disabled, {}",
              name,
              e.toString());
      return null;
    }
  }

  private static <T> T read(Field f, Object target, Class<T> type) {
    if (f == null) {
      return null;
    }
    try {
      return type.cast(f.get(target));
    } catch (IllegalAccessException e) {
      return null;
    }
  }
}
