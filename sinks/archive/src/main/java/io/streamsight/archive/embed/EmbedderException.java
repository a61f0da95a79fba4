package io.streamsight.archive.embed;

/** The embedding model could not be loaded or run; says which and why. */
public final class EmbedderException extends RuntimeException {
  public EmbedderException(String message, Throwable cause) {
    super(message, cause);
  }
}
