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
  private Shape shape;
  private SwsContext ctx;
  private AVFrame yuv;

  /** Scales {@code src} to {@code w x h} full-range YUV 4:2:0; read it via {@link #yuv()}. */
  public void scale(AVFrame src, int w, int h) {
    ensure(new Shape(src.width(), src.height(), src.format(), w, h));
    swscale.sws_scale(ctx, src.data(), src.linesize(), 0, src.height(), yuv.data(), yuv.linesize());
  }

  /** Everything the swscale context and the output picture are built for. */
  private record Shape(int srcW, int srcH, int srcFormat, int dstW, int dstH) {}

  /**
   * Rebuilds the context (and the output picture) only when the {@link Shape} changes.
   *
   * <p>Not {@code sws_getCachedContext}: it compares the formats it is given with the ones the
   * context stores, and swscale stores the deprecated full-range formats (YUVJ420P, which JPEG
   * wants) as their limited-range twins plus a range flag, so that cache never hits for them and
   * every frame paid for a new context (filter tables and buffers, ~0.6 ms per 1080p frame here).
   */
  private void ensure(Shape wanted) {
    if (ctx != null && wanted.equals(shape)) {
      return;
    }
    free();
    ctx =
        swscale.sws_getContext(
            wanted.srcW(),
            wanted.srcH(),
            wanted.srcFormat(),
            wanted.dstW(),
            wanted.dstH(),
            AV_PIX_FMT_YUVJ420P,
            swscale.SWS_BILINEAR,
            null,
            null,
            (DoublePointer) null);
    check(ctx != null, "sws_getContext for " + wanted);
    yuv = avutil.av_frame_alloc();
    check(yuv != null, "av_frame_alloc");
    yuv.width(wanted.dstW());
    yuv.height(wanted.dstH());
    yuv.format(AV_PIX_FMT_YUVJ420P);
    int rc = avutil.av_frame_get_buffer(yuv, 32);
    check(rc >= 0, "av_frame_get_buffer " + wanted.dstW() + "x" + wanted.dstH() + " rc=" + rc);
    shape = wanted;
  }

  /** Native address of the context (tests: it must survive frames of the same shape). */
  long yuvContextAddress() {
    return ctx == null ? 0 : ctx.address();
  }

  public AVFrame yuv() {
    return yuv;
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("FFmpeg call failed: " + what);
    }
  }

  private void free() {
    if (ctx != null) {
      swscale.sws_freeContext(ctx);
      ctx = null;
    }
    if (yuv != null) {
      avutil.av_frame_free(yuv);
      yuv = null;
    }
    shape = null;
  }

  @Override
  public void close() {
    free();
  }
}
