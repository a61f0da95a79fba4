package io.streamsight.ingest.source;

/**
 * A source could not be opened or read. {@link #retriable()} tells a live camera whether
 * reconnecting can help (network errors) or not (e.g. unsupported codec, no video stream).
 */
public class SourceException extends Exception {
  private final String source;
  private final boolean retriable;

  /**
   * Messages and causes pass through the generic {@link Redactor} as a safety net; callers that
   * know the source redact with its own redactor first ({@link SourceSpec#redactor()}).
   */
  public SourceException(String source, String message, boolean retriable, Throwable cause) {
    super(
        Redactor.generic().redact(message + " [source " + source + "]"),
        Redactor.generic().redact(cause));
    this.source = Redactor.generic().redact(source);
    this.retriable = retriable;
  }

  public String source() {
    return source;
  }

  public boolean retriable() {
    return retriable;
  }
}
