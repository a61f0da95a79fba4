package io.streamsight.vlm.hub;

/**
 * A model pull failed for a reason that trying again will not fix (authentication, a missing repo
 * or file, corrupt content). {@link RetriableHubException} is the subtype for transient failures.
 */
public class HubException extends RuntimeException {
  /** What went wrong, so callers and tests can tell failures apart without parsing messages. */
  public enum Kind {
    AUTH,
    NOT_FOUND,
    INTEGRITY,
    PROTOCOL,
    TRANSIENT,
    LOCAL_IO
  }

  private final Kind kind;

  public HubException(Kind kind, String message) {
    this(kind, message, null);
  }

  public HubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retriable() {
    return false;
  }
}
