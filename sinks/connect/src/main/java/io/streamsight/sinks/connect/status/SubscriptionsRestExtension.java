package io.streamsight.sinks.connect.status;

import io.streamsight.sinks.connect.worker.RestCredential;
import jakarta.ws.rs.Priorities;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * Adds {@link StatusResource} to the Connect worker's REST API (worker config {@code
 * rest.extension.classes}), so {@code subscriptions status} reads counters from the same address as
 * everything else, and puts {@link RestGuard} (credential, Host check, no config providers outside
 * secret keys) in front of the whole API. Worker settings it reads: {@value #SECRETS_DIR} and
 * {@value #ALLOWED_HOSTS} ({@code WorkerSettings} sets both; without a secrets directory every
 * guarded request is refused).
 */
public class SubscriptionsRestExtension implements ConnectRestExtension {
  /** Worker setting: the directory holding {@link RestCredential}'s file. */
  public static final String SECRETS_DIR = "streamsight.rest.secrets.dir";

  /** Worker setting: comma-separated host names and addresses the API answers to. */
  public static final String ALLOWED_HOSTS = "streamsight.rest.allowed.hosts";

  /**
   * Jersey warns at WARNING, on stderr at every worker start, that a registered resource "does not
   * implement any provider interfaces" and "will be ignored" as a provider: true and harmless (it
   * is a resource, served as one), but alarming in the demo's output. Only that check's logger is
   * quietened; held here because java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger JERSEY_PROVIDER_CHECK =
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  private Path secretsDir;
  private Set<String> allowedHosts = Set.of("localhost", "127.0.0.1", "::1");

  @Override
  public void register(ConnectRestExtensionContext context) {
    JERSEY_PROVIDER_CHECK.setLevel(java.util.logging.Level.SEVERE);
    Path dir = secretsDir;
    // Read per request: a credential file replaced on disk takes effect without a restart.
    RestGuard guard = new RestGuard(() -> RestCredential.read(dir).orElse(null), allowedHosts);
    context.configurable().register(guard, Priorities.AUTHENTICATION);
    context.configurable().register(new StatusResource());
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object dir = configs.get(SECRETS_DIR);
    secretsDir = dir == null || dir.toString().isBlank() ? null : Path.of(dir.toString());
    Object hosts = configs.get(ALLOWED_HOSTS);
    if (hosts != null && !hosts.toString().isBlank()) {
      Set<String> h = new HashSet<>();
      Arrays.stream(hosts.toString().split(","))
          .map(s -> s.strip().toLowerCase(Locale.ROOT))
          .filter(s -> !s.isEmpty())
          .forEach(h::add);
      allowedHosts = Set.copyOf(h);
    }
  }

  @Override
  public void close() {}

  @Override
  public String version() {
    return io.streamsight.sinks.connect.Versions.current();
  }
}
