package io.streamsight.ingest.frame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Native downscale with FFmpeg's swscale: decoded picture (any pixel format) to a BGR24 picture of
 * the output size (for features), then BGR24 to full-range YUV 4:2:0 (for the JPEG encoder). The
 * second pass runs on the small picture, so it costs little next to the first.
 *
 * <p>Not thread-safe: one per camera. Contexts are cached and rebuilt only when sizes change.
 */
public final class FrameScaler implements AutoCloseable {
  private SwsContext toBgr;
  private SwsContext toYuv;
  private AVFrame bgr;
  private AVFrame yuv;

  /**
   * Scales {@code src} to {@code w x h}; results readable via {@link #bgr()} and {@link #yuv()}.
   */
  public void scale(AVFrame src, int w, int h) {
    ensureFrames(w, h);
    toBgr =
        swscale.sws_getCachedContext(
            toBgr,
            src.width(),
            src.height(),
            src.format(),
            w,
            h,
            AV_PIX_FMT_BGR24,
            swscale.SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    check(toBgr != null, "sws_getCachedContext(to BGR24) from format " + src.format());
    swscale.sws_scale(
        toBgr, src.data(), src.linesize(), 0, src.height(), bgr.data(), bgr.linesize());
    toYuv =
        swscale.sws_getCachedContext(
            toYuv,
            w,
            h,
            AV_PIX_FMT_BGR24,
            w,
            h,
            AV_PIX_FMT_YUVJ420P,
            swscale.SWS_POINT,
            null,
            null,
            (DoublePointer) null);
    check(toYuv != null, "sws_getCachedContext(to YUVJ420P)");
    swscale.sws_scale(toYuv, bgr.data(), bgr.linesize(), 0, h, yuv.data(), yuv.linesize());
  }

  public AVFrame bgr() {
    return bgr;
  }

  public AVFrame yuv() {
    return yuv;
  }

  /** The BGR24 picture's bytes; valid until the next {@link #scale}. */
  public ByteBuffer bgrBytes() {
    return bgr.data(0).capacity((long) bgr.linesize(0) * bgr.height()).asByteBuffer();
  }

  public int bgrStride() {
    return bgr.linesize(0);
  }

  private void ensureFrames(int w, int h) {
    if (bgr != null && bgr.width() == w && bgr.height() == h) {
      return;
    }
    freeFrames();
    bgr = alloc(w, h, AV_PIX_FMT_BGR24);
    yuv = alloc(w, h, AV_PIX_FMT_YUVJ420P);
  }

  private static AVFrame alloc(int w, int h, int format) {
    AVFrame f = avutil.av_frame_alloc();
    check(f != null, "av_frame_alloc");
    f.width(w);
    f.height(h);
    f.format(format);
    int rc = avutil.av_frame_get_buffer(f, 32);
    check(rc >= 0, "av_frame_get_buffer " + w + "x" + h + " rc=" + rc);
    return f;
  }

  private void freeFrames() {
    if (bgr != null) {
      avutil.av_frame_free(bgr);
      bgr = null;
    }
    if (yuv != null) {
      avutil.av_frame_free(yuv);
      yuv = null;
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("FFmpeg call failed: " + what);
    }
  }

  @Override
  public void close() {
    freeFrames();
    if (toBgr != null) {
      swscale.sws_freeContext(toBgr);
      toBgr = null;
    }
    if (toYuv != null) {
      swscale.sws_freeContext(toYuv);
      toYuv = null;
    }
  }
}
