package io.streamsight.vlm.preprocess;

import io.streamsight.vlm.preprocess.ImageDecoder.ImageSize;

/**
 * An image whose header declares more pixels than {@link ImageDecoder#MAX_PIXELS}: refused before
 * decoding (a decompression bomb, or a frame far larger than the pipeline is built for).
 */
public final class ImageTooLargeException extends ImageDecodeException {
  private final ImageSize size;

  public ImageTooLargeException(ImageSize size, long maxPixels) {
    super(
        String.format(
            "image declares %s (%.1f MP), above the limit of %.1f MP; not decoded",
            size, size.pixels() / 1e6, maxPixels / 1e6));
    this.size = size;
  }

  public ImageSize size() {
    return size;
  }
}
