package io.streamsight.ingest.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

class FrameScalerTest {
  @Test
  void keepsItsContextAcrossFramesOfTheSameShapeAndRebuildsItWhenTheSizeChanges() {
    AVFrame small = picture(320, 240, 100);
    AVFrame other = picture(320, 240, 200);
    AVFrame bigger = picture(640, 480, 100);
    try (FrameScaler scaler = new FrameScaler()) {
      scaler.scale(small, 160, 120);
      long first = scaler.yuvContextAddress();
      int lumaSmall = scaler.yuv().data(0).get(0) & 0xff;
      scaler.scale(other, 160, 120);
      // sws_getCachedContext rebuilt the full-range (YUVJ) context on every frame: regression check
      assertEquals(first, scaler.yuvContextAddress());
      assertNotEquals(lumaSmall, scaler.yuv().data(0).get(0) & 0xff, "second frame was scaled");
      scaler.scale(bigger, 160, 120);
      assertEquals(160, scaler.yuv().width());
      assertEquals(lumaSmall, scaler.yuv().data(0).get(0) & 0xff, "same content, same pixels");
    } finally {
      avutil.av_frame_free(small);
      avutil.av_frame_free(other);
      avutil.av_frame_free(bigger);
    }
  }

  /** A flat limited-range YUV 4:2:0 picture of luma {@code y}. */
  private static AVFrame picture(int w, int h, int y) {
    AVFrame f = avutil.av_frame_alloc();
    f.width(w);
    f.height(h);
    f.format(avutil.AV_PIX_FMT_YUV420P);
    avutil.av_frame_get_buffer(f, 32);
    for (int plane = 0; plane < 3; plane++) {
      int rows = plane == 0 ? h : h / 2;
      byte value = (byte) (plane == 0 ? y : 128);
      for (long i = 0; i < (long) f.linesize(plane) * rows; i++) {
        f.data(plane).put(i, value);
      }
    }
    return f;
  }
}
