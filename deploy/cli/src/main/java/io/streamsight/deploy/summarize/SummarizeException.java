package io.streamsight.deploy.summarize;

/** The video cannot be summarised at all (nothing decodable); the message says why. */
public final class SummarizeException extends Exception {
  public SummarizeException(String message) {
    super(message);
  }
}
