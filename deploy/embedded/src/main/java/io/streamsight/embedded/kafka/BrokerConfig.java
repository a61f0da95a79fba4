package io.streamsight.embedded.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run one KRaft node on loopback. A single node is broker and controller at once; a
 * multi-broker cluster gives every node the same {@code voters} string.
 *
 * @param port client listener port (0 = pick a free one)
 * @param controllerPort controller listener port (0 = pick a free one)
 * @param voters {@code controller.quorum.voters}; {@code null} = this node alone
 * @param clusterId used only when the data dir is formatted for the first time
 * @param extra further broker properties (override the defaults)
 * @param bindAddress address of the client listener: {@link #LOOPBACK} unless someone opens it to
 *     the network on purpose ({@code --bind}); the controller listener always stays on loopback
 */
public record BrokerConfig(
    int nodeId,
    int port,
    int controllerPort,
    Path dataDir,
    String voters,
    String clusterId,
    Map<String, String> extra,
    String bindAddress) {
  public static final String LOOPBACK = "127.0.0.1";

  public BrokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.trim();
    extra = Map.copyOf(extra == null ? Map.of() : extra);
    if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
      throw new IllegalArgumentException("ports must be in 0..65535");
    }
  }

  /** On loopback. */
  public BrokerConfig(
      int nodeId,
      int port,
      int controllerPort,
      Path dataDir,
      String voters,
      String clusterId,
      Map<String, String> extra) {
    this(nodeId, port, controllerPort, dataDir, voters, clusterId, extra, LOOPBACK);
  }

  /** One node, free ports, fresh cluster id: what tests and {@code streamsight broker} use. */
  public static BrokerConfig singleNode(int port, Path dataDir) {
    return new BrokerConfig(1, port, 0, dataDir, null, null, Map.of());
  }

  /** This config with the client listener on {@code address} (opens it beyond this machine). */
  public BrokerConfig withBind(String address) {
    return new BrokerConfig(
        nodeId, port, controllerPort, dataDir, voters, clusterId, extra, address);
  }

  /** Whether the client listener is reachable from other machines. */
  public boolean exposed() {
    return !bindAddress.equals(LOOPBACK)
        && !bindAddress.equals("localhost")
        && !bindAddress.startsWith("127.")
        && !bindAddress.equals("::1");
  }
}
