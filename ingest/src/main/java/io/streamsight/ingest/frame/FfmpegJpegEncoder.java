package io.streamsight.ingest.frame;

import static io.streamsight.ingest.frame.FrameScaler.check;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * JPEG encoding with FFmpeg's native mjpeg encoder: always present (it ships inside the JavaCV
 * FFmpeg build), so it is the fallback when libjpeg-turbo is missing, and the reference in tests.
 *
 * <p>Quality 1..100 maps linearly onto mjpeg's fixed qscale 31..2 (lower qscale = better); that is
 * not libjpeg's quality scale (q85 here gives ~25 % smaller, softer files than libjpeg's q85). Not
 * thread-safe: one per camera; the codec context is rebuilt when the size changes.
 */
final class FfmpegJpegEncoder implements JpegEncoder {
  private final int qscale;
  private AVCodecContext ctx;
  private AVPacket pkt;
  private long pts;

  FfmpegJpegEncoder(int quality) {
    this.qscale = 2 + (int) Math.round((100 - quality) * 29 / 99.0);
  }

  @Override
  public String name() {
    return "ffmpeg-mjpeg";
  }

  @Override
  public byte[] encode(AVFrame yuv) {
    ensureContext(yuv.width(), yuv.height());
    yuv.pts(pts++);
    yuv.quality(ctx.global_quality());
    int rc = avcodec.avcodec_send_frame(ctx, yuv);
    check(rc >= 0, "avcodec_send_frame(mjpeg) rc=" + rc);
    rc = avcodec.avcodec_receive_packet(ctx, pkt);
    check(rc >= 0, "avcodec_receive_packet(mjpeg) rc=" + rc);
    try {
      byte[] out = new byte[pkt.size()];
      pkt.data().get(out);
      return out;
    } finally {
      avcodec.av_packet_unref(pkt);
    }
  }

  private void ensureContext(int w, int h) {
    if (ctx != null && ctx.width() == w && ctx.height() == h) {
      return;
    }
    close();
    AVCodec codec = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_MJPEG);
    check(codec != null, "avcodec_find_encoder(MJPEG)");
    ctx = avcodec.avcodec_alloc_context3(codec);
    ctx.width(w);
    ctx.height(h);
    ctx.pix_fmt(avutil.AV_PIX_FMT_YUVJ420P);
    ctx.time_base(avutil.av_make_q(1, 25));
    ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_QSCALE);
    ctx.global_quality(qscale * avutil.FF_QP2LAMBDA);
    ctx.qmin(qscale);
    ctx.qmax(qscale);
    ctx.thread_count(1);
    // FFmpeg's mjpeg defaults to per-picture optimal Huffman tables: a second pass over the
    // coefficients for ~3-5% smaller files. The standard tables are much cheaper per frame.
    AVDictionary opts = new AVDictionary(null);
    avutil.av_dict_set(opts, "huffman", "default", 0);
    int rc = avcodec.avcodec_open2(ctx, codec, opts);
    avutil.av_dict_free(opts);
    check(rc >= 0, "avcodec_open2(mjpeg " + w + "x" + h + ") rc=" + rc);
    pkt = avcodec.av_packet_alloc();
  }

  @Override
  public void close() {
    if (ctx != null) {
      avcodec.avcodec_free_context(ctx);
      ctx = null;
    }
    if (pkt != null) {
      avcodec.av_packet_free(pkt);
      pkt = null;
    }
  }
}
