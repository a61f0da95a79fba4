package io.streamsight.console.search;

/** Search cannot answer now (no archive configured, archive not open yet): a 503, not a 500. */
public final class SearchUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public SearchUnavailableException(String message) {
    super(message);
  }

  public SearchUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
