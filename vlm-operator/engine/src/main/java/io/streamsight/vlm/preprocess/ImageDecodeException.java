package io.streamsight.vlm.preprocess;

/** The bytes of a request image are not a decodable JPEG/PNG. Bad input, not retriable. */
public class ImageDecodeException extends RuntimeException {
  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
