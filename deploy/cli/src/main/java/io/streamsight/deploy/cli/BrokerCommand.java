package io.streamsight.deploy.cli;

import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamsight broker}: a real single-node KRaft Kafka broker on loopback. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a single-node KRaft Kafka broker on 127.0.0.1 (unless --bind) until Ctrl-C.",
      "Formats its storage on first start; restarting on the same --data keeps all records."
    })
public final class BrokerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--controller-port",
      defaultValue = "0",
      description = "KRaft controller port (default: a free one).")
  int controllerPort;

  @Option(
      names = "--data",
      defaultValue = ".streamsight/kafka",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--create-topics",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true", // without it picocli inverts a true-by-default negatable option
      description =
          "Create Streamsight's topics once the broker is up (default: ${DEFAULT-VALUE}).")
  boolean createTopics;

  // For a multi-node cluster (streamsight cluster up): every node gets the same voters string
  // and cluster id; --prop sets further broker properties (replication factors, min ISR).
  @Option(names = "--node-id", defaultValue = "1", description = "KRaft node id (default: 1).")
  int nodeId;

  @Option(
      names = "--voters",
      description = "controller.quorum.voters, e.g. 1@127.0.0.1:9093,2@... (default: this node).")
  String voters;

  @Option(names = "--cluster-id", description = "Cluster id for formatting (default: random).")
  String clusterId;

  @Option(names = "--prop", description = "Extra broker property KEY=VALUE (repeatable).")
  Map<String, String> props = new java.util.LinkedHashMap<>();

  @Mixin BindOption bind;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String address = bind.address(spec.commandLine());
    BrokerConfig config =
        new BrokerConfig(nodeId, port, controllerPort, data, voters, clusterId, props, address);
    BindOption.warn(System.err, address, java.util.List.of(BindOption.KAFKA));
    KafkaBroker broker = KafkaBroker.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
    if (createTopics) {
      try (Admin admin = broker.admin()) {
        new TopicAdmin(admin)
            .createAll(Topics.all(), (short) 1, Map.of())
            .forEach(o -> System.out.println("  topic " + o));
      }
    }
    System.out.printf(
        "Kafka broker ready on %s (data %s). Ctrl-C to stop.%n",
        broker.bootstrapServers(), data.toAbsolutePath());
    broker.awaitShutdown();
    return 0;
  }
}
