package io.streamsight.ingest.frame;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * The few TurboJPEG 2.x calls ingest needs, bound with JNA direct mapping to the system's {@code
 * libturbojpeg.so.0} (Debian/Ubuntu package {@code libturbojpeg0}). Neither JavaCV's FFmpeg build
 * nor any Maven artifact here carries libjpeg-turbo's TurboJPEG API, hence the system library;
 * {@link JpegEncoders} falls back to FFmpeg's mjpeg when it is missing.
 */
final class TurboJpegLibrary {
  static final String HINT =
      " (install libjpeg-turbo's TurboJPEG library: `apt-get install libturbojpeg0` on Debian,"
          + " `libturbojpeg` on Ubuntu)";
  static final int TJSAMP_420 = 2;

  /** Fail instead of reallocating the output buffer: ours is sized with tjBufSize. */
  static final int TJFLAG_NOREALLOC = 1024;

  private static final Optional<String> LOAD_ERROR = load();

  private TurboJpegLibrary() {}

  private static Optional<String> load() {
    try {
      Native.register(TurboJpegLibrary.class, "turbojpeg");
      return Optional.empty();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return Optional.of("libturbojpeg could not be loaded: " + e.getMessage());
    }
  }

  /** Why the library is unusable, or empty when it loaded. */
  static Optional<String> loadError() {
    return LOAD_ERROR;
  }

  static native Pointer tjInitCompress();

  static native int tjCompressFromYUVPlanes(
      Pointer handle,
      Pointer srcPlanes,
      int width,
      int[] strides,
      int height,
      int subsamp,
      Pointer jpegBuf,
      Pointer jpegSize,
      int jpegQual,
      int flags);

  static native NativeLong tjBufSize(int width, int height, int subsamp);

  static native Pointer tjAlloc(int bytes);

  static native void tjFree(Pointer buffer);

  static native int tjDestroy(Pointer handle);

  static native Pointer tjGetErrorStr2(Pointer handle);
}
