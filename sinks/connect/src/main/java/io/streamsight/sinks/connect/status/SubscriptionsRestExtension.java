package io.streamsight.sinks.connect.status;

import java.util.Map;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * Adds {@link StatusResource} to the Connect worker's REST API (worker config {@code
 * rest.extension.classes}), so {@code subscriptions status} reads counters from the same address as
 * everything else.
 */
public class SubscriptionsRestExtension implements ConnectRestExtension {
  @Override
  public void register(ConnectRestExtensionContext context) {
    context.configurable().register(new StatusResource());
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}

  @Override
  public String version() {
    return io.streamsight.sinks.connect.Versions.current();
  }
}
