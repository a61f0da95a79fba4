package io.streamsight.embedded.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes H.264 files with known content, for tests, benchmarks and the demo.
 *
 * <pre>{@code
 * VideoInfo v = SyntheticVideo.builder(320, 240, 25)
 *     .add(Segment.solid(200, 30, 30, 50))                         // 2 s red
 *     .add(Segment.pattern(Pattern.CHECKER, 50).withNoise(4))      // 2 s checkerboard + noise
 *     .add(Segment.pattern(Pattern.BARS, 50).withMovingBox(40, 0, 0, 255))
 *     .write(dir.resolve("clip.mp4"));
 * }</pre>
 *
 * <p>The container follows the file extension (mp4, mkv, ts, avi, ...). Content is deterministic
 * (noise is seeded), so {@link #render(int)} gives the exact picture of any frame before encoding,
 * which tests use as the expected image. Frame {@code i} has presentation time {@code i * 1e6 /
 * fps} microseconds. Encoding uses whatever H.264 encoder the bundled FFmpeg has (libopenh264 or
 * libx264) at a high bitrate, so decoded frames stay close to {@link #render(int)}.
 */
public final class SyntheticVideo {
  private final int width;
  private final int height;
  private final double fps;
  private final int gop;
  private final long seed;
  private final List<Segment> segments;

  private SyntheticVideo(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.fps = b.fps;
    this.gop = b.gop;
    this.seed = b.seed;
    this.segments = List.copyOf(b.segments);
  }

  /** Starts a video of {@code width x height} (even numbers) at {@code fps}. */
  public static Builder builder(int width, int height, double fps) {
    return new Builder(width, height, fps);
  }

  /** Facts about a written file that tests compare against. */
  public record VideoInfo(
      Path path,
      int width,
      int height,
      double fps,
      int frameCount,
      long durationMicros,
      List<Integer> segmentStartFrames) {

    /** Index of the segment that frame {@code frame} belongs to. */
    public int segmentOf(int frame) {
      int s = 0;
      for (int i = 0; i < segmentStartFrames.size(); i++) {
        if (frame >= segmentStartFrames.get(i)) {
          s = i;
        }
      }
      return s;
    }
  }

  /** Configures a {@link SyntheticVideo}. */
  public static final class Builder {
    private final int width;
    private final int height;
    private final double fps;
    private int gop = -1;
    private long seed = 42;
    private final List<Segment> segments = new ArrayList<>();

    private Builder(int width, int height, double fps) {
      if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
        throw new IllegalArgumentException(
            "size must be even and >= 16x16, got " + width + "x" + height);
      }
      if (!(fps > 0)) {
        throw new IllegalArgumentException("fps must be > 0, got " + fps);
      }
      this.width = width;
      this.height = height;
      this.fps = fps;
    }

    public Builder add(Segment segment) {
      segments.add(segment);
      return this;
    }

    /** Keyframe interval in frames (default: one keyframe per second). */
    public Builder gop(int frames) {
      this.gop = frames;
      return this;
    }

    /** Seed for noise (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public SyntheticVideo build() {
      if (segments.isEmpty()) {
        throw new IllegalStateException("a synthetic video needs at least one segment");
      }
      return new SyntheticVideo(this);
    }

    /** Shortcut for {@code build().write(path)}. */
    public VideoInfo write(Path path) throws IOException {
      return build().write(path);
    }
  }

  public int frameCount() {
    return segments.stream().mapToInt(Segment::frames).sum();
  }

  /** Encodes all frames to {@code path} as H.264. */
  public VideoInfo write(Path path) throws IOException {
    int frames = frameCount();
    List<Integer> starts = new ArrayList<>();
    int start = 0;
    for (Segment s : segments) {
      starts.add(start);
      start += s.frames();
    }
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(path.toFile(), width, height, 0)) {
      rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
      rec.setFrameRate(fps);
      rec.setGopSize(gop > 0 ? gop : (int) Math.max(1, Math.round(fps)));
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      // Generous bitrate: tests compare decoded frames to render(i), so keep coding loss small.
      rec.setVideoBitrate(Math.max(1_000_000, width * height * 8));
      rec.start();
      Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
      ByteBuffer buf = (ByteBuffer) frame.image[0];
      for (int i = 0; i < frames; i++) {
        byte[] bgr = render(i);
        buf.clear();
        buf.put(bgr);
        buf.flip();
        rec.record(frame, avutil.AV_PIX_FMT_BGR24);
      }
      rec.stop();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException("could not write synthetic video " + path + ": " + e.getMessage(), e);
    }
    return new VideoInfo(
        path,
        width,
        height,
        fps,
        frames,
        Math.round(frames * 1_000_000 / fps),
        List.copyOf(starts));
  }

  /**
   * The exact picture of frame {@code index} as packed BGR24 bytes (row-major, stride = 3 * width),
   * before H.264 coding.
   */
  public byte[] render(int index) {
    int local = index;
    Segment seg = null;
    for (Segment s : segments) {
      if (local < s.frames()) {
        seg = s;
        break;
      }
      local -= s.frames();
    }
    if (seg == null) {
      throw new IndexOutOfBoundsException("frame " + index + " >= " + frameCount());
    }
    byte[] out = new byte[width * height * 3];
    int flick = seg.flicker() == 0 ? 0 : (index % 2 == 0 ? seg.flicker() : -seg.flicker());
    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + index);
    Segment.MovingBox box = seg.box();
    int boxX = 0;
    int boxY = 0;
    if (box != null) {
      int travel = Math.max(0, width - box.size());
      boxX = seg.frames() == 1 ? 0 : (int) ((long) travel * local / (seg.frames() - 1));
      boxY = Math.max(0, (height - box.size()) / 2);
    }
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r;
        int g;
        int b;
        if (box != null
            && x >= boxX
            && x < boxX + box.size()
            && y >= boxY
            && y < boxY + box.size()) {
          r = box.r();
          g = box.g();
          b = box.b();
        } else {
          int rgb = background(seg, x, y);
          r = (rgb >> 16) & 0xff;
          g = (rgb >> 8) & 0xff;
          b = rgb & 0xff;
        }
        int n = seg.noise() == 0 ? 0 : rnd.nextInt(2 * seg.noise() + 1) - seg.noise();
        out[i++] = clamp(b + flick + n);
        out[i++] = clamp(g + flick + n);
        out[i++] = clamp(r + flick + n);
      }
    }
    return out;
  }

  private static final int[] BARS = {
    0xC0C0C0, 0xC0C000, 0x00C0C0, 0x00C000, 0xC000C0, 0xC00000, 0x0000C0, 0x101010
  };

  private int background(Segment seg, int x, int y) {
    int c = (seg.r() << 16) | (seg.g() << 8) | seg.b();
    return switch (seg.pattern()) {
      case SOLID -> c;
      case CHECKER -> ((x * 8 / width) + (y * 8 / height)) % 2 == 0 ? c : (~c & 0xffffff);
      case GRADIENT -> {
        int r = seg.r() * x / (width - 1);
        int g = seg.g() * x / (width - 1);
        int b = seg.b() * x / (width - 1);
        yield (r << 16) | (g << 8) | b;
      }
      case BARS -> BARS[Math.min(7, x * 8 / width)];
    };
  }

  private static byte clamp(int v) {
    return (byte) Math.max(0, Math.min(255, v));
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public double fps() {
    return fps;
  }
}
