package io.streamsight.sinks.connect.client;

/** A subscription request that failed; {@link #refused} when the input itself is not acceptable. */
public class SubscriptionException extends Exception {
  private final boolean refused;

  public SubscriptionException(String message, boolean refused) {
    super(message);
    this.refused = refused;
  }

  public SubscriptionException(String message, Throwable cause) {
    super(message, cause);
    this.refused = false;
  }

  /** True when the request was refused for its content (bad id, SSRF guard, unknown id). */
  public boolean refused() {
    return refused;
  }
}
