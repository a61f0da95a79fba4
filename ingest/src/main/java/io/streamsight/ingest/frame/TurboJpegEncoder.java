package io.streamsight.ingest.frame;

import static io.streamsight.ingest.frame.TurboJpegLibrary.TJFLAG_NOREALLOC;
import static io.streamsight.ingest.frame.TurboJpegLibrary.TJSAMP_420;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * JPEG encoding with libjpeg-turbo's TurboJPEG API straight from the YUV planes ({@code
 * tjCompressFromYUVPlanes}: no colour conversion, SIMD DCT and Huffman coding, standard tables).
 * Quality is libjpeg's usual 1..100 scale.
 *
 * <p>Not thread-safe: one per camera. The output buffer is sized once per picture size with {@code
 * tjBufSize} (the worst case), so encoding never allocates native memory.
 */
final class TurboJpegEncoder implements JpegEncoder {
  private final int quality;
  private final Memory planes = new Memory(3L * Native.POINTER_SIZE);
  private final Memory bufferRef = new Memory(Native.POINTER_SIZE);
  private final Memory size = new Memory(8);
  private final int[] strides = new int[3];
  private Pointer handle;
  private Pointer buffer;
  private long capacity;
  private int width;
  private int height;

  TurboJpegEncoder(int quality) {
    this.quality = quality;
    handle = TurboJpegLibrary.tjInitCompress();
    if (handle == null) {
      throw new IllegalStateException("tjInitCompress failed: " + error());
    }
  }

  @Override
  public String name() {
    return "turbojpeg";
  }

  @Override
  public byte[] encode(AVFrame yuv) {
    if (yuv.format() != avutil.AV_PIX_FMT_YUVJ420P) {
      throw new IllegalArgumentException("turbojpeg encodes YUVJ420P, got format " + yuv.format());
    }
    ensureBuffer(yuv.width(), yuv.height());
    for (int p = 0; p < 3; p++) {
      planes.setPointer((long) p * Native.POINTER_SIZE, new Pointer(yuv.data(p).address()));
      strides[p] = yuv.linesize(p);
    }
    bufferRef.setPointer(0, buffer);
    size.setLong(0, capacity);
    int rc =
        TurboJpegLibrary.tjCompressFromYUVPlanes(
            handle,
            planes,
            width,
            strides,
            height,
            TJSAMP_420,
            bufferRef,
            size,
            quality,
            TJFLAG_NOREALLOC);
    if (rc != 0) {
      throw new IllegalStateException(
          "tjCompressFromYUVPlanes " + width + "x" + height + " failed: " + error());
    }
    return buffer.getByteArray(0, (int) size.getLong(0));
  }

  private void ensureBuffer(int w, int h) {
    if (buffer != null && w == width && h == height) {
      return;
    }
    freeBuffer();
    long bytes = TurboJpegLibrary.tjBufSize(w, h, TJSAMP_420).longValue();
    if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("no JPEG buffer size for " + w + "x" + h);
    }
    buffer = TurboJpegLibrary.tjAlloc((int) bytes);
    if (buffer == null) {
      throw new OutOfMemoryError("tjAlloc(" + bytes + ") for a " + w + "x" + h + " JPEG");
    }
    capacity = bytes;
    width = w;
    height = h;
  }

  private String error() {
    Pointer msg = TurboJpegLibrary.tjGetErrorStr2(handle);
    return msg == null ? "unknown error" : msg.getString(0);
  }

  private void freeBuffer() {
    if (buffer != null) {
      TurboJpegLibrary.tjFree(buffer);
      buffer = null;
    }
  }

  @Override
  public void close() {
    freeBuffer();
    if (handle != null) {
      TurboJpegLibrary.tjDestroy(handle);
      handle = null;
    }
  }
}
