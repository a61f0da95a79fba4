package io.streamsight.console.subscriptions;

/** The subscriptions cannot be listed now (not configured, worker unreachable): a 503. */
public final class SubscriptionsUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public SubscriptionsUnavailableException(String message) {
    super(message);
  }

  public SubscriptionsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
