package io.streamsight.deploy.console;

import io.streamsight.console.subscriptions.SubscriptionView;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.console.subscriptions.SubscriptionsUnavailableException;
import io.streamsight.sinks.connect.client.SubscriptionException;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The console's subscriptions page backed by a Kafka Connect worker (sinks/connect). Lives here,
 * where both modules meet, so the console does not depend on Connect. What it shows is what {@code
 * subscriptions list} shows: no secrets, webhook URLs cut to scheme, host and port.
 */
public final class ConnectSubscriptionsBackend implements SubscriptionsBackend {
  private final URI connect;
  private final SubscriptionsClient client;

  public ConnectSubscriptionsBackend(URI connect) {
    this.connect = connect;
    // Listing needs no secrets directory: secrets are written only by 'subscriptions add'.
    this.client = new SubscriptionsClient(connect, null);
  }

  @Override
  public List<SubscriptionView> list() throws SubscriptionsUnavailableException {
    try {
      return client.list().stream().map(ConnectSubscriptionsBackend::view).toList();
    } catch (SubscriptionException e) {
      throw new SubscriptionsUnavailableException(
          "the Kafka Connect worker at " + connect + " did not answer: " + e.getMessage());
    }
  }

  @Override
  public boolean configured() {
    return true;
  }

  static SubscriptionView view(io.streamsight.sinks.connect.client.SubscriptionView s) {
    StringBuilder detail = new StringBuilder();
    if (s.stats() != null) {
      detail
          .append("delivered ")
          .append(s.stats().delivered())
          .append(", retrying ")
          .append(s.stats().retrying())
          .append(", dead-lettered ")
          .append(s.stats().deadLettered());
      if (s.stats().lastError() != null) {
        detail.append("; last error: ").append(s.stats().lastError());
      }
    }
    if (s.taskError() != null) {
      detail.append(detail.length() == 0 ? "" : "; ").append(s.taskError());
    }
    return new SubscriptionView(
        s.id(),
        s.kind().name().toLowerCase(Locale.ROOT),
        s.target(),
        s.state(),
        detail.length() == 0 ? null : detail.toString());
  }
}
