package io.streamsight.archive.thumbs;

/** A keyframe image the archive will not decode (too large, not a JPEG, corrupt), with why. */
public final class ImageRefusedException extends Exception {
  public ImageRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
