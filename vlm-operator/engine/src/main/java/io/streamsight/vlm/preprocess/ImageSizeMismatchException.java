package io.streamsight.vlm.preprocess;

import io.streamsight.vlm.preprocess.ImageDecoder.ImageSize;

/**
 * An image whose real size is far from the size its record declares (more than {@link
 * ImageDecoder#MAX_DECLARED_RATIO} in width or height): the record is lying or broken.
 */
public final class ImageSizeMismatchException extends ImageDecodeException {
  private final ImageSize actual;
  private final ImageSize declared;

  public ImageSizeMismatchException(ImageSize actual, ImageSize declared) {
    super("image is " + actual + " but its record declares " + declared + "; not decoded");
    this.actual = actual;
    this.declared = declared;
  }

  public ImageSize actual() {
    return actual;
  }

  public ImageSize declared() {
    return declared;
  }
}
