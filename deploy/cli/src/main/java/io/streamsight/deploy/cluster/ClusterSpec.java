package io.streamsight.deploy.cluster;

import io.streamsight.embedded.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * The shape of one local cluster: ports, ids and sizes, chosen once at the first {@code cluster up}
 * and persisted in {@code cluster.properties}, because a KRaft node's storage is formatted for one
 * cluster id and one voter set and must find the same ones on every restart.
 *
 * @param clusterId KRaft cluster id (formatted into every node's storage)
 * @param nodes Kafka nodes, each broker and controller at once
 * @param flinkRpcPort JobManager RPC port
 * @param flinkRestPort JobManager REST (and web UI) port
 * @param taskManagers number of TaskManager processes
 * @param slotsPerTaskManager task slots per TaskManager
 * @param jobManagerMemory {@code jobmanager.memory.process.size}
 * @param taskManagerMemory {@code taskmanager.memory.process.size}
 * @param bindAddress where Kafka's client listeners and Flink's REST endpoint listen: {@link
 *     #LOOPBACK} unless {@code up --bind} opened them at the first {@code up}; RPC, controllers,
 *     blob server and data exchange always stay on loopback
 */
public record ClusterSpec(
    String clusterId,
    List<KafkaNode> nodes,
    int flinkRpcPort,
    int flinkRestPort,
    int taskManagers,
    int slotsPerTaskManager,
    String jobManagerMemory,
    String taskManagerMemory,
    String bindAddress) {
  public static final String LOOPBACK = "127.0.0.1";

  /** On loopback. */
  public ClusterSpec(
      String clusterId,
      List<KafkaNode> nodes,
      int flinkRpcPort,
      int flinkRestPort,
      int taskManagers,
      int slotsPerTaskManager,
      String jobManagerMemory,
      String taskManagerMemory) {
    this(
        clusterId,
        nodes,
        flinkRpcPort,
        flinkRestPort,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemory,
        taskManagerMemory,
        LOOPBACK);
  }

  /** One KRaft node on loopback. */
  public record KafkaNode(int nodeId, int port, int controllerPort) {
    public String name() {
      return "kafka-" + nodeId;
    }
  }

  public ClusterSpec {
    bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.trim();
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one Kafka node");
    }
    if (taskManagers < 1 || slotsPerTaskManager < 1) {
      throw new IllegalArgumentException("taskManagers and slotsPerTaskManager must be >= 1");
    }
  }

  /** A new cluster on free loopback ports. */
  public static ClusterSpec fresh(
      int brokers, int taskManagers, int slots, String jmMemory, String tmMemory) {
    List<KafkaNode> nodes =
        IntStream.rangeClosed(1, brokers)
            .mapToObj(i -> new KafkaNode(i, KafkaBroker.freePort(), KafkaBroker.freePort()))
            .toList();
    return new ClusterSpec(
        Uuid.randomUuid().toString(),
        nodes,
        KafkaBroker.freePort(),
        KafkaBroker.freePort(),
        taskManagers,
        slots,
        jmMemory,
        tmMemory);
  }

  /** {@code controller.quorum.voters}, shared by every node. */
  public String voters() {
    return nodes.stream()
        .map(n -> n.nodeId() + "@127.0.0.1:" + n.controllerPort())
        .collect(Collectors.joining(","));
  }

  public String bootstrapServers() {
    return nodes.stream().map(n -> clientHost() + ":" + n.port()).collect(Collectors.joining(","));
  }

  public String flinkRestUrl() {
    return "http://" + clientHost() + ":" + flinkRestPort;
  }

  /** Where this machine's own clients connect: loopback, unless bound to one other address. */
  public String clientHost() {
    boolean wildcard =
        bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]");
    if (wildcard || bindAddress.equals(LOOPBACK)) {
      return LOOPBACK;
    }
    return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
  }

  /** This spec with another bind address. */
  public ClusterSpec withBind(String address) {
    return new ClusterSpec(
        clusterId,
        nodes,
        flinkRpcPort,
        flinkRestPort,
        taskManagers,
        slotsPerTaskManager,
        jobManagerMemory,
        taskManagerMemory,
        address);
  }

  /** Replication factor for our topics: 3 on a 3-node cluster, never more than the nodes. */
  public short replicationFactor() {
    return (short) Math.min(3, nodes.size());
  }

  /** min.insync.replicas: 2 with 3 replicas, so one node may die without losing acks=all. */
  public int minInsyncReplicas() {
    return Math.max(1, replicationFactor() - 1);
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("cluster.id", clusterId);
    p.setProperty("kafka.nodes", Integer.toString(nodes.size()));
    for (int i = 0; i < nodes.size(); i++) {
      KafkaNode n = nodes.get(i);
      p.setProperty("kafka.node." + i + ".id", Integer.toString(n.nodeId()));
      p.setProperty("kafka.node." + i + ".port", Integer.toString(n.port()));
      p.setProperty("kafka.node." + i + ".controller-port", Integer.toString(n.controllerPort()));
    }
    p.setProperty("flink.rpc-port", Integer.toString(flinkRpcPort));
    p.setProperty("flink.rest-port", Integer.toString(flinkRestPort));
    p.setProperty("flink.taskmanagers", Integer.toString(taskManagers));
    p.setProperty("flink.slots", Integer.toString(slotsPerTaskManager));
    p.setProperty("flink.jobmanager-memory", jobManagerMemory);
    p.setProperty("flink.taskmanager-memory", taskManagerMemory);
    p.setProperty("bind.address", bindAddress);
    return p;
  }

  /** Parses what {@link #toProperties()} wrote; a missing or bad key fails naming it. */
  public static ClusterSpec fromProperties(Properties p) {
    int count = intKey(p, "kafka.nodes");
    List<KafkaNode> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(
          new KafkaNode(
              intKey(p, "kafka.node." + i + ".id"),
              intKey(p, "kafka.node." + i + ".port"),
              intKey(p, "kafka.node." + i + ".controller-port")));
    }
    return new ClusterSpec(
        key(p, "cluster.id"),
        nodes,
        intKey(p, "flink.rpc-port"),
        intKey(p, "flink.rest-port"),
        intKey(p, "flink.taskmanagers"),
        intKey(p, "flink.slots"),
        key(p, "flink.jobmanager-memory"),
        key(p, "flink.taskmanager-memory"),
        p.getProperty("bind.address", LOOPBACK)); // absent in clusters made before --bind
  }

  private static String key(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("cluster.properties: missing key '" + key + "'");
    }
    return v.trim();
  }

  private static int intKey(Properties p, String key) {
    String v = key(p, key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cluster.properties: key '" + key + "' must be an integer, got '" + v + "'", e);
    }
  }
}
