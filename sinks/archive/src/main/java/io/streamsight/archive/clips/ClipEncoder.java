package io.streamsight.archive.clips;

import io.streamsight.archive.ArchiveException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Encodes a camera's JPEG frames into an MP4 clip: H.264 through libopenh264, the H.264 encoder the
 * bundled (LGPL) FFmpeg 7.1.1 build offers (it has no libx264). Frames keep their capture times as
 * presentation times (sampled frames are not evenly spaced). The clip takes the first frame's size
 * rounded down to even (4:2:0 needs it); later frames of another size are scaled. Written to a
 * temporary file and moved into place, so a reader never sees half a clip.
 */
public final class ClipEncoder {
  /** A frame to encode: its JPEG and capture time. */
  public record ClipFrame(long captureTimeMicros, byte[] jpeg) {}

  private static final String CODEC = "libopenh264";
  private final int bitrate;

  public ClipEncoder(int bitrate) {
    this.bitrate = bitrate;
  }

  /** Encodes {@code frames} (capture-time order) into {@code target}; returns the clip's bytes. */
  public long encode(List<ClipFrame> frames, Path target) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a clip needs at least one frame");
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "clip", ".mp4.tmp");
      try {
        write(frames, tmp);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return Files.size(target);
    } catch (IOException e) {
      throw new ArchiveException("cannot write clip " + target + ": " + e.getMessage(), e);
    }
  }

  private void write(List<ClipFrame> frames, Path out) throws IOException {
    BufferedImage first = decode(frames.get(0));
    int w = first.getWidth() & ~1;
    int h = first.getHeight() & ~1;
    long t0 = frames.get(0).captureTimeMicros();
    double span = (frames.get(frames.size() - 1).captureTimeMicros() - t0) / 1e6;
    // A nominal rate for the container; the real timing comes from the timestamps set below.
    double fps = frames.size() > 1 && span > 0 ? Math.min(30, (frames.size() - 1) / span) : 1;
    try (Java2DFrameConverter conv = new Java2DFrameConverter();
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
      rec.setFormat("mp4");
      rec.setVideoCodecName(CODEC);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(Math.max(1, fps));
      rec.setVideoBitrate(bitrate);
      rec.setGopSize(Math.max(1, (int) Math.round(fps * 2)));
      rec.start();
      long last = -1;
      for (int i = 0; i < frames.size(); i++) {
        BufferedImage img = i == 0 ? first : decode(frames.get(i));
        long ts = frames.get(i).captureTimeMicros() - t0;
        if (ts <= last) {
          continue; // duplicate or out-of-order capture time: a container needs rising times
        }
        rec.setTimestamp(ts);
        rec.record(conv.convert(img));
        last = ts;
      }
      rec.stop();
    }
  }

  private static BufferedImage decode(ClipFrame f) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.jpeg()));
    if (img == null) {
      throw new IOException("frame at " + f.captureTimeMicros() + " is not a readable JPEG");
    }
    return img;
  }
}
