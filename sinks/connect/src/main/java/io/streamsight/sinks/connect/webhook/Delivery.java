package io.streamsight.sinks.connect.webhook;

/**
 * The outcome of one delivery attempt. Retriable failures carry the delay the receiver asked for
 * (Retry-After) or -1 for the subscription's own backoff; permanent ones go to the dead-letter
 * queue with {@link #detail}.
 */
public record Delivery(Kind kind, String detail, long retryAfterMillis) {
  public enum Kind {
    DELIVERED,
    RETRY,
    PERMANENT
  }

  static Delivery delivered() {
    return new Delivery(Kind.DELIVERED, "", -1);
  }

  static Delivery retry(String detail, long retryAfterMillis) {
    return new Delivery(Kind.RETRY, detail, retryAfterMillis);
  }

  static Delivery permanent(String detail) {
    return new Delivery(Kind.PERMANENT, detail, -1);
  }
}
