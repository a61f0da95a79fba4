package io.streamsight.sinks.connect.worker;

import io.streamsight.sinks.connect.status.SubscriptionsRestExtension;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a Streamsight Connect worker needs: the Kafka cluster, where its REST API listens, the
 * directory of subscription secrets (the only place the file config provider may read), and how
 * often it commits offsets (how much is delivered again after a crash).
 *
 * @param bootstrapServers the Kafka cluster the worker runs on (internal topics, consumers)
 * @param bind REST listener address; 127.0.0.1 unless the operator opens it
 * @param port REST port; 0 picks a free one
 * @param secretsDir where {@code subscriptions add} writes secret files
 * @param groupId the Connect cluster: workers with the same id share connectors
 * @param offsetFlush how often sink offsets are committed
 */
public record WorkerSettings(
    String bootstrapServers,
    String bind,
    int port,
    Path secretsDir,
    String groupId,
    Duration offsetFlush) {

  public static final String DEFAULT_GROUP = "streamsight-connect";
  public static final int DEFAULT_PORT = 8083;

  public WorkerSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers are empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not 0..65535");
    }
  }

  /** Defaults: loopback, port 8083, group streamsight-connect, offsets committed every 5 s. */
  public static WorkerSettings of(String bootstrapServers, Path secretsDir) {
    return new WorkerSettings(
        bootstrapServers,
        "127.0.0.1",
        DEFAULT_PORT,
        secretsDir,
        DEFAULT_GROUP,
        Duration.ofSeconds(5));
  }

  public WorkerSettings withListener(String bind, int port) {
    return new WorkerSettings(bootstrapServers, bind, port, secretsDir, groupId, offsetFlush);
  }

  public WorkerSettings withGroup(String groupId) {
    return new WorkerSettings(bootstrapServers, bind, port, secretsDir, groupId, offsetFlush);
  }

  /** The distributed-mode worker properties. */
  public Map<String, String> workerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("group.id", groupId);
    // Connectors see raw bytes; they decode our Avro single-object encoding themselves.
    p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("config.storage.topic", groupId + ".configs");
    p.put("offset.storage.topic", groupId + ".offsets");
    p.put("status.storage.topic", groupId + ".status");
    // -1: the broker's default replication factor (1 on the demo broker, 3 on `cluster up`).
    p.put("config.storage.replication.factor", "-1");
    p.put("offset.storage.replication.factor", "-1");
    p.put("status.storage.replication.factor", "-1");
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    p.put("listeners", "http://" + host + ":" + port);
    p.put("offset.flush.interval.ms", Long.toString(offsetFlush.toMillis()));
    // A killed worker's subscriptions move to a live worker after 10 s instead of Kafka's 45 s
    // default: alerts are worth a little more heartbeat traffic (one every 3 s per task).
    p.put("consumer.session.timeout.ms", "10000");
    p.put("consumer.heartbeat.interval.ms", "3000");
    // Plugins come from the classpath through their ServiceLoader manifests: no reflective scan
    // of every jar of the distribution at start.
    p.put("plugin.discovery", "service_load");
    p.put("config.providers", "file,streamsight");
    p.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    p.put("config.providers.file.param.allowed.paths", secretsDir.toAbsolutePath().toString());
    p.put("config.providers.streamsight.class", WorkerConfigProvider.class.getName());
    p.put("config.providers.streamsight.param.bootstrap.servers", bootstrapServers);
    p.put("rest.extension.classes", SubscriptionsRestExtension.class.getName());
    // The REST API needs the credential in the secrets directory and answers only to this
    // worker's own names (RestGuard).
    p.put(SubscriptionsRestExtension.SECRETS_DIR, secretsDir.toAbsolutePath().toString());
    p.put(SubscriptionsRestExtension.ALLOWED_HOSTS, String.join(",", allowedHosts()));
    // Connector configs may not override the worker's Kafka client settings (consumer.override.*):
    // our connectors need none, and they would let a config point a consumer elsewhere or load a
    // login module.
    p.put("connector.client.config.override.policy", "None");
    return p;
  }

  /**
   * The names a {@code Host} header may carry: loopback names and the bind address; on a wildcard
   * bind also this machine's host names and interface addresses (the ones it can be reached by).
   */
  Set<String> allowedHosts() {
    Set<String> h = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    String b = bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
    h.add(b.toLowerCase(Locale.ROOT));
    boolean wildcard = b.equals("0.0.0.0") || b.equals("::") || b.isEmpty();
    if (wildcard) {
      try {
        InetAddress local = InetAddress.getLocalHost();
        h.add(local.getHostName().toLowerCase(Locale.ROOT));
        h.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
      } catch (UnknownHostException e) {
        // no name for this machine: its addresses below still work
      }
      try {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            String s = a.getHostAddress();
            int scope = s.indexOf('%');
            h.add((scope < 0 ? s : s.substring(0, scope)).toLowerCase(Locale.ROOT));
          }
        }
      } catch (SocketException e) {
        // no interfaces listed: loopback names only
      }
    }
    return h;
  }
}
