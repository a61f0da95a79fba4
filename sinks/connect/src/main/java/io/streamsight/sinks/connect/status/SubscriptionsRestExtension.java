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
  /**
   * Jersey warns at WARNING, on stderr at every worker start, that a registered resource "does not
   * implement any provider interfaces" and "will be ignored" as a provider: true and harmless (it
   * is a resource, served as one), but alarming in the demo's output. Only that check's logger is
   * quietened; held here because java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger JERSEY_PROVIDER_CHECK =
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  @Override
  public void register(ConnectRestExtensionContext context) {
    JERSEY_PROVIDER_CHECK.setLevel(java.util.logging.Level.SEVERE);
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
