package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The Flink standalone session cluster's configuration: the {@code config.yaml} every JobManager
 * and TaskManager reads from the generated conf dir, its log4j config, and the JVM and dynamic
 * arguments Flink's own start scripts would compute (we launch the entry points directly, so we
 * compute them with the same Flink utilities).
 */
public final class FlinkConf {
  public static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  /** Checkpoint interval for every job on this cluster (the operator job's exactly-once sinks). */
  public static final String CHECKPOINT_INTERVAL = "10 s";

  // What Flink's distribution config.yaml sets in env.java.default-opts.all for Java 17: Kryo and
  // the RPC system reflect into these packages.
  static final List<String> JAVA17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final ClusterSpec spec;
  private final ClusterLayout layout;
  private final long taskOffHeapBytes;

  /**
   * A cluster whose model is not known yet (or the fixture model): {@link EngineMemory#HEADROOM}.
   */
  public FlinkConf(ClusterSpec spec, ClusterLayout layout) {
    this(spec, layout, EngineMemory.HEADROOM);
  }

  /**
   * @param taskOffHeapBytes TaskManager task off-heap memory, from {@link
   *     EngineMemory#taskOffHeapBytes} for the job's model
   */
  public FlinkConf(ClusterSpec spec, ClusterLayout layout, long taskOffHeapBytes) {
    this.spec = spec;
    this.layout = layout;
    this.taskOffHeapBytes = taskOffHeapBytes;
  }

  /** The settings written to {@code config.yaml}, in order. */
  public Map<String, String> settings() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", Integer.toString(spec.flinkRpcPort()));
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("jobmanager.memory.process.size", spec.jobManagerMemory());
    // Only the REST endpoint (web UI, job submission) follows --bind: RPC, blob server and data
    // exchange serve this machine's processes only.
    c.put("rest.address", spec.clientHost().replaceAll("[\\[\\]]", ""));
    c.put("rest.bind-address", spec.bindAddress());
    c.put("rest.port", Integer.toString(spec.flinkRestPort()));
    // No jar uploads through the REST API / web UI (Flink's default accepts them from anyone who
    // reaches the port: code execution). Our CLI submits the operator job as a job graph
    // (operator --jobmanager) and stops it through the REST job endpoints, which stay.
    c.put("web.submit.enable", "false");
    c.put("taskmanager.host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slotsPerTaskManager()));
    c.put("taskmanager.memory.process.size", spec.taskManagerMemory());
    // The VLM engine's direct buffers (prefill logits, embeddings, pixels) count against
    // -XX:MaxDirectMemorySize = framework off-heap + task off-heap + network; Flink's default task
    // off-heap is 0, so size it from the model (EngineMemory documents the estimate). Framework
    // off-heap keeps Flink's default (128m), which is Flink's own (Netty, RPC).
    c.put("taskmanager.memory.task.off-heap.size", EngineMemory.mebibytes(taskOffHeapBytes));
    // Managed memory serves RocksDB and batch operators; this cluster's jobs use the hashmap state
    // backend and streaming operators only, so Flink's default 40% would be reserved for nothing
    // and taken from the heap and off-heap the operator does need.
    c.put("taskmanager.memory.managed.size", "0m");
    c.put(
        "parallelism.default", Integer.toString(spec.taskManagers() * spec.slotsPerTaskManager()));
    // Our JobManager and TaskManagers run with the whole distribution on their class path, and a
    // submitter (operator --jobmanager) ships the same jars again. Child-first loading would then
    // load Kafka or ONNX Runtime classes twice (ClassCastException between the two copies, and a
    // native library that cannot load into a second class loader after a restart); parent-first
    // uses the one copy the process already has.
    c.put("classloader.resolve-order", "parent-first");
    c.put("state.backend.type", "hashmap");
    c.put("execution.checkpointing.interval", CHECKPOINT_INTERVAL);
    c.put("execution.checkpointing.mode", "EXACTLY_ONCE");
    c.put("execution.checkpointing.dir", layout.flinkCheckpoints().toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", layout.flinkSavepoints().toUri().toString());
    c.put("restart-strategy.type", "exponential-delay");
    c.put("io.tmp.dirs", layout.flinkTmp().toString());
    c.put("web.tmpdir", layout.flinkTmp().resolve("web").toString());
    // A killed TaskManager is noticed within seconds, not the default 50 s heartbeat timeout.
    c.put("heartbeat.timeout", "15000");
    c.put("heartbeat.interval", "3000");
    return c;
  }

  /** Writes {@code config.yaml} and {@code log4j.properties} into the conf dir. */
  public void write() {
    Path conf = layout.flinkConf();
    try {
      Files.createDirectories(conf);
      StringBuilder yaml = new StringBuilder("# generated by streamsight cluster up\n");
      settings().forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
      Files.writeString(conf.resolve("config.yaml"), yaml.toString());
      Files.writeString(conf.resolve("log4j.properties"), LOG4J);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write Flink configuration to " + conf, e);
    }
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  /** JVM options for the JobManager: memory from Flink's own process-spec derivation. */
  public List<String> jobManagerJvmArgs(Path log) {
    Configuration config = Configuration.fromMap(settings());
    JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(config);
    List<String> args =
        new ArrayList<>(split(JobManagerProcessUtils.generateJvmParametersStr(jm, config)));
    args.addAll(commonJvmArgs(log));
    return args;
  }

  public List<String> jobManagerArgs() {
    Configuration config = Configuration.fromMap(settings());
    JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(config);
    List<String> args = new ArrayList<>(List.of("--configDir", layout.flinkConf().toString()));
    args.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(jm)));
    return args;
  }

  public List<String> taskManagerJvmArgs(Path log) {
    TaskExecutorProcessSpec tm = taskManagerSpec();
    List<String> args = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(tm)));
    args.addAll(commonJvmArgs(log));
    return args;
  }

  /** TaskManager arguments; {@code resourceId} names it in the Flink UI and REST API. */
  public List<String> taskManagerArgs(String resourceId) {
    List<String> args = new ArrayList<>(List.of("--configDir", layout.flinkConf().toString()));
    args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(taskManagerSpec())));
    args.addAll(List.of("-D", "taskmanager.resource-id=" + resourceId));
    return args;
  }

  private TaskExecutorProcessSpec taskManagerSpec() {
    return TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(settings()));
  }

  private List<String> commonJvmArgs(Path log) {
    List<String> args = new ArrayList<>(JAVA17_OPENS);
    args.add("-Dlog.file=" + log);
    args.add("-Dlog4j.configurationFile=" + layout.flinkConf().resolve("log4j.properties").toUri());
    return args;
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
  }

  private static final String LOG4J =
      """
      # generated by streamsight cluster up: everything to stdout, which goes to logs/<process>.log
      rootLogger.level = INFO
      rootLogger.appenderRef.console.ref = console
      appender.console.name = console
      appender.console.type = CONSOLE
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c{1} - %m%n
      logger.kafka.name = org.apache.kafka
      logger.kafka.level = WARN
      logger.pekko.name = org.apache.pekko
      logger.pekko.level = WARN
      """;
}
