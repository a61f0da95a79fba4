package io.streamsight.ingest.source;

/**
 * A source could not be opened or read. {@link #retriable()} tells a live camera whether
 * reconnecting can help (network errors) or not (e.g. unsupported codec, no video stream).
 */
public class SourceException extends Exception {
  private final String source;
  private final boolean retriable;

  public SourceException(String source, String message, boolean retriable, Throwable cause) {
    super(message + " [source " + source + "]", cause);
    this.source = source;
    this.retriable = retriable;
  }

  public String source() {
    return source;
  }

  public boolean retriable() {
    return retriable;
  }
}
