package io.streamsight.sinks.connect.webhook;

/** Why a notification was dead-lettered: the receiver's status and body excerpt, or a refusal. */
public class WebhookDeliveryException extends RuntimeException {
  public WebhookDeliveryException(String message) {
    super(message);
  }
}
