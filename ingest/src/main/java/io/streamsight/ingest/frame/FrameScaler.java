package io.streamsight.ingest.frame;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Native downscale with FFmpeg's swscale: decoded picture (any pixel format) to full-range YUV
 * 4:2:0 of the output size, which the JPEG encoder and the feature extractor both read (YUV to YUV
 * avoids a colour conversion of the whole picture).
 *
 * <p>Not thread-safe: one per camera. The context is kept and rebuilt only when sizes change.
 */
public final class FrameScaler implements AutoCloseable {
  private final Conversion toYuv = new Conversion();
  private AVFrame yuv;

  /** Scales {@code src} to {@code w x h} full-range YUV 4:2:0; read it via {@link #yuv()}. */
  public void scale(AVFrame src, int w, int h) {
    ensureFrame(w, h);
    SwsContext yuvCtx =
        toYuv.context(
            new Shape(
                src.width(),
                src.height(),
                src.format(),
                w,
                h,
                AV_PIX_FMT_YUVJ420P,
                swscale.SWS_BILINEAR));
    swscale.sws_scale(
        yuvCtx, src.data(), src.linesize(), 0, src.height(), yuv.data(), yuv.linesize());
  }

  /** Everything a swscale context is built for. */
  private record Shape(
      int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat, int flags) {}

  /**
   * One conversion's context, rebuilt only when its {@link Shape} changes.
   *
   * <p>Not {@code sws_getCachedContext}: it compares the formats it is given with the ones the
   * context stores, and swscale stores the deprecated full-range formats (YUVJ420P, which mjpeg
   * wants) as their limited-range twins plus a range flag, so that cache never hits for them and
   * every frame paid for a new context (filter tables and buffers, ~0.6 ms per 1080p frame here).
   */
  private static final class Conversion {
    private Shape shape;
    private SwsContext ctx;

    SwsContext context(Shape wanted) {
      if (ctx != null && wanted.equals(shape)) {
        return ctx;
      }
      free();
      ctx =
          swscale.sws_getContext(
              wanted.srcW(),
              wanted.srcH(),
              wanted.srcFormat(),
              wanted.dstW(),
              wanted.dstH(),
              wanted.dstFormat(),
              wanted.flags(),
              null,
              null,
              (DoublePointer) null);
      check(ctx != null, "sws_getContext for " + wanted);
      shape = wanted;
      return ctx;
    }

    void free() {
      if (ctx != null) {
        swscale.sws_freeContext(ctx);
        ctx = null;
      }
    }
  }

  /** Native address of the YUV context (tests: it must survive frames of the same shape). */
  long yuvContextAddress() {
    return toYuv.ctx == null ? 0 : toYuv.ctx.address();
  }

  public AVFrame yuv() {
    return yuv;
  }

  private void ensureFrame(int w, int h) {
    if (yuv != null && yuv.width() == w && yuv.height() == h) {
      return;
    }
    freeFrame();
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

  private void freeFrame() {
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
    freeFrame();
    toYuv.free();
  }
}
