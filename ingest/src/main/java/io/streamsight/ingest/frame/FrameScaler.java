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
 * Native downscale with FFmpeg's swscale: decoded picture (any pixel format) to full-range YUV
 * 4:2:0 of the output size (for the JPEG encoder; YUV to YUV avoids a full-size colour conversion),
 * then that to a small BGR24 picture (for features), which costs little next to the first pass.
 *
 * <p>Not thread-safe: one per camera. Contexts are kept and rebuilt only when sizes change.
 */
public final class FrameScaler implements AutoCloseable {
  /**
   * Features are cell averages over an 8x8/9x8 grid and 8-bin histograms: a 256 px picture holds
   * all the information they use, at a fraction of the cost of colour-converting the full output.
   */
  public static final int FEATURE_EDGE = 256;

  private final Conversion toBgr = new Conversion();
  private final Conversion toYuv = new Conversion();
  private AVFrame bgr;
  private AVFrame yuv;

  /**
   * Scales {@code src} to {@code w x h} full-range YUV (for the JPEG) and to a small BGR24 picture
   * of at most {@link #FEATURE_EDGE} px (for features); read them via {@link #yuv()} and {@link
   * #bgr()}.
   */
  public void scale(AVFrame src, int w, int h) {
    int[] fs = featureSize(w, h);
    ensureFrames(w, h, fs[0], fs[1]);
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
    SwsContext bgrCtx =
        toBgr.context(
            new Shape(w, h, AV_PIX_FMT_YUVJ420P, fs[0], fs[1], AV_PIX_FMT_BGR24, swscale.SWS_AREA));
    swscale.sws_scale(bgrCtx, yuv.data(), yuv.linesize(), 0, h, bgr.data(), bgr.linesize());
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

  /** Size of the feature picture for an output of {@code w x h}: longest edge <= FEATURE_EDGE. */
  static int[] featureSize(int w, int h) {
    double scale = Math.min(1.0, (double) FEATURE_EDGE / Math.max(w, h));
    return new int[] {
      Math.max(9, (int) Math.round(w * scale)), Math.max(8, (int) Math.round(h * scale))
    };
  }

  /** Native address of the YUV context (tests: it must survive frames of the same shape). */
  long yuvContextAddress() {
    return toYuv.ctx == null ? 0 : toYuv.ctx.address();
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

  private void ensureFrames(int w, int h, int fw, int fh) {
    if (yuv != null && yuv.width() == w && yuv.height() == h) {
      return;
    }
    freeFrames();
    bgr = alloc(fw, fh, AV_PIX_FMT_BGR24);
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
    toBgr.free();
    toYuv.free();
  }
}
