package io.streamsight.deploy.cluster;

import io.streamsight.deploy.cluster.ClusterSpec.KafkaNode;
import io.streamsight.deploy.cluster.ProcessLauncher.JavaProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command lines of the infrastructure processes: Kafka nodes (our {@code streamsight broker}
 * with the shared voters string) and the Flink JobManager and TaskManagers.
 */
public final class ClusterProcesses {
  public static final String JOB_MANAGER = "flink-jobmanager";

  /** Child processes log warnings from libraries too (the CLI default shows errors only). */
  static final Map<String, String> CHILD_ENV = Map.of("STREAMSIGHT_ROOT_LOG_LEVEL", "WARN");

  private final ClusterSpec spec;
  private final ClusterLayout layout;

  public ClusterProcesses(ClusterSpec spec, ClusterLayout layout) {
    this.spec = spec;
    this.layout = layout;
  }

  /**
   * Broker properties that make the cluster tolerate one dead node: internal topics replicated 3
   * times with min ISR 2, like ours.
   */
  public Map<String, String> brokerProps() {
    String rf = Short.toString(spec.replicationFactor());
    String isr = Integer.toString(spec.minInsyncReplicas());
    Map<String, String> p = new LinkedHashMap<>();
    p.put("offsets.topic.replication.factor", rf);
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", isr);
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", isr);
    // The broker takes the largest record a topic declares (the broker command sets this too;
    // spelled out so the cluster's process arguments show it).
    p.putAll(io.streamsight.schemas.topics.Topics.brokerMessageSizeConfigs());
    return p;
  }

  public JavaProcess broker(KafkaNode node) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "broker",
                "--node-id",
                Integer.toString(node.nodeId()),
                "--port",
                Integer.toString(node.port()),
                "--controller-port",
                Integer.toString(node.controllerPort()),
                "--voters",
                spec.voters(),
                "--cluster-id",
                spec.clusterId(),
                "--data",
                layout.kafkaData(node.nodeId()).toString(),
                "--no-create-topics"));
    if (!spec.bindAddress().equals(ClusterSpec.LOOPBACK)) {
      args.addAll(List.of("--bind", spec.bindAddress()));
    }
    brokerProps().forEach((k, v) -> args.addAll(List.of("--prop", k + "=" + v)));
    return new JavaProcess(
        node.name(), Distribution.MAIN, List.of("-Xms256m", "-Xmx512m"), args, CHILD_ENV);
  }

  public List<JavaProcess> brokers() {
    return spec.nodes().stream().map(this::broker).toList();
  }

  public JavaProcess jobManager(FlinkConf conf) {
    return new JavaProcess(
        JOB_MANAGER,
        FlinkConf.JOB_MANAGER_MAIN,
        conf.jobManagerJvmArgs(layout.logFile(JOB_MANAGER)),
        conf.jobManagerArgs(),
        Map.of());
  }

  public static String taskManagerName(int i) {
    return "flink-taskmanager-" + i;
  }

  public List<JavaProcess> taskManagers(FlinkConf conf) {
    List<JavaProcess> out = new ArrayList<>();
    for (int i = 1; i <= spec.taskManagers(); i++) {
      String name = taskManagerName(i);
      out.add(
          new JavaProcess(
              name,
              FlinkConf.TASK_MANAGER_MAIN,
              conf.taskManagerJvmArgs(layout.logFile(name)),
              conf.taskManagerArgs("taskmanager-" + i),
              Map.of()));
    }
    return out;
  }
}
