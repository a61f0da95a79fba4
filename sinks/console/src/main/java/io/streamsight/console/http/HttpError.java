package io.streamsight.console.http;

/**
 * A request the console refuses, with the status and a message for the caller (rendered as {@code
 * {"error": message, "field": field}}). The message names what was wrong; it never echoes a secret.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String field;

  public HttpError(int status, String message) {
    this(status, null, message);
  }

  public HttpError(int status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public int status() {
    return status;
  }

  /** The request field or parameter at fault, or null. */
  public String field() {
    return field;
  }
}
