package io.streamsight.console.subscriptions;

import java.util.List;

/**
 * Where the subscriptions page gets its list: the Kafka Connect worker running the subscription
 * connectors (sinks/connect) when one is configured, {@link #NOT_CONFIGURED} otherwise.
 */
public interface SubscriptionsBackend {

  /**
   * Every subscription and its delivery status.
   *
   * @throws SubscriptionsUnavailableException when there is no Connect worker to ask (503)
   */
  List<SubscriptionView> list() throws SubscriptionsUnavailableException;

  boolean configured();

  SubscriptionsBackend NOT_CONFIGURED =
      new SubscriptionsBackend() {
        @Override
        public List<SubscriptionView> list() throws SubscriptionsUnavailableException {
          throw new SubscriptionsUnavailableException(
              "subscriptions are not configured for this console (they run as Kafka Connect"
                  + " connectors; see docs/architecture.md)");
        }

        @Override
        public boolean configured() {
          return false;
        }
      };
}
