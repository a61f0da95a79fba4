package io.streamsight.embedded.kafka;

import io.streamsight.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka node (from the {@code kafka_2.13} jar) on loopback, in this JVM. Formats its
 * storage on first start; a restart on the same data dir keeps topics and offsets. Used by {@code
 * streamsight broker}, the demo, the local cluster and every {@code *IT}.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final BrokerConfig config;
  private final int port;
  private final KafkaRaftServer server;

  private KafkaBroker(BrokerConfig config, int port, KafkaRaftServer server) {
    this.config = config;
    this.port = port;
    this.server = server;
  }

  /** Formats (first time only) and starts the node; returns once it serves clients. */
  public static KafkaBroker start(BrokerConfig config) {
    int port = config.port() == 0 ? freePort() : config.port();
    int controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
    Path dir = config.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
      Properties props = properties(config, port, controllerPort, dir);
      format(props, dir, config.clusterId());
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
      LOG.info(
          "Kafka node {} serving on {}:{} (data {})",
          config.nodeId(),
          config.bindAddress(),
          port,
          dir);
      return new KafkaBroker(config, port, server);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare Kafka data dir " + dir, e);
    }
  }

  private static Properties properties(BrokerConfig c, int port, int controllerPort, Path dir) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(c.nodeId()));
    p.put(
        "controller.quorum.voters",
        c.voters() != null ? c.voters() : c.nodeId() + "@127.0.0.1:" + controllerPort);
    // Loopback unless --bind opened the client listener; the controller (KRaft quorum) never
    // leaves loopback: the local cluster's nodes all run on this machine.
    p.put(
        "listeners",
        "PLAINTEXT://"
            + hostPart(c.bindAddress())
            + ":"
            + port
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + hostPart(advertised(c)) + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", dir.toString());
    p.put("num.partitions", "4");
    // Topics are created from their descriptors; a typo must not silently make a new topic.
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once Kafka sink asks for transaction timeouts up to an hour.
    p.put("transaction.max.timeout.ms", "3600000");
    // Kafka's 1 MiB default would reject the frames producers are allowed to send.
    p.putAll(Topics.brokerMessageSizeConfigs());
    p.putAll(c.extra());
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  private static void format(Properties props, Path dir, String clusterId) throws IOException {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return;
    }
    Path file = dir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "written by streamsight to format this node");
    }
    String id = clusterId != null ? clusterId : Uuid.randomUuid().toString();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {"format", "-t", id, "-c", file.toString(), "--ignore-formatted"},
            new PrintStream(log, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "Formatting Kafka storage in "
              + dir
              + " failed: "
              + log.toString(StandardCharsets.UTF_8));
    }
  }

  /**
   * The address clients are told to use: the bind address, or for a wildcard bind this machine's
   * name (a wildcard cannot be connected to from elsewhere).
   */
  private static String advertised(BrokerConfig c) {
    String a = c.bindAddress();
    if (!a.equals("0.0.0.0") && !a.equals("::") && !a.equals("[::]")) {
      return a;
    }
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      throw new UncheckedIOException("--bind " + a + ": cannot find this machine's name", e);
    }
  }

  // An IPv6 literal goes in brackets inside a listener URL.
  private static String hostPart(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  /** A port nobody listens on right now (loopback only). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on loopback", e);
    }
  }

  public String bootstrapServers() {
    return config.exposed() ? hostPart(advertised(config)) + ":" + port : "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public BrokerConfig config() {
    return config;
  }

  /** An admin client for this node (caller closes it). */
  public Admin admin() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(p);
  }

  /** Blocks until the node has stopped. */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Kafka node {} on port {} stopped", config.nodeId(), port);
  }
}
