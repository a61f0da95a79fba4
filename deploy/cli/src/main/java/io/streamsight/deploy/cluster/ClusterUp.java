package io.streamsight.deploy.cluster;

import io.streamsight.deploy.cluster.ProcessLauncher.JavaProcess;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.vlm.engine.VlmEngine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code cluster up}: Kafka nodes, topics, Flink JobManager and TaskManagers, then the pipeline
 * stages, each step waiting for readiness and failing with the process name and its log.
 * Idempotent: processes whose pid files name live processes are left as they are.
 */
public final class ClusterUp {
  private final ClusterOptions options;
  private final ClusterLayout layout;
  private final Distribution dist;
  private final Map<String, Set<String>> commands;
  private final PrintStream out;

  public ClusterUp(
      ClusterOptions options,
      Distribution dist,
      Map<String, Set<String>> commands,
      PrintStream out) {
    this.options = options;
    this.layout = new ClusterLayout(options.dir());
    this.dist = dist;
    this.commands = commands;
    this.out = out;
  }

  /** Brings everything up; returns the spec (ports) in use. */
  public ClusterSpec run() throws InterruptedException, java.io.IOException {
    checkDirectory();
    // Nothing is written before the spec parsed and its memory sizes were checked: a failed up
    // leaves no marker (and no other file) behind.
    ClusterSpec spec = layout.loadSpec().map(this::resized).orElseGet(this::freshSpec);
    validateFlinkMemory(spec);
    layout.writeMarker();
    layout.saveSpec(spec);
    layout.createDirectories();
    boolean running = PidFile.readAll(layout.pidDir()).stream().anyMatch(PidFile::isAlive);
    Distribution snapshot = dist.snapshotInto(layout.distDir(), running);
    ProcessLauncher launcher = new ProcessLauncher(snapshot, layout);
    ClusterProcesses procs = new ClusterProcesses(spec, layout);
    out.printf("Cluster directory %s%n", layout.dir());
    if (snapshot != dist) {
      out.printf(
          "  processes run from %s (%s; rebuilding the project does not touch them)%n",
          layout.distDir(), running ? "kept: processes still run from it" : "fresh copy");
    }

    startKafka(spec, launcher, procs);
    startFlink(spec, launcher, procs);
    if (options.stages()) {
      startStages(spec, launcher);
    }
    out.printf("%nCluster is up.%n");
    out.printf("  Kafka bootstrap   %s%n", spec.bootstrapServers());
    out.printf("  Flink web UI/REST %s%n", spec.flinkRestUrl());
    out.printf("  logs              %s%n", layout.logDir());
    out.printf(
        "  next              streamsight cluster status --dir %s   |   streamsight cluster down"
            + " --dir %s%n",
        options.dir(), options.dir());
    return spec;
  }

  /**
   * Refuses a directory that is not a cluster's: one with our marker, or one holding nothing but
   * the names {@code up} creates (an earlier cluster from before the marker, an empty or new
   * directory). A generic {@code cluster.properties} among other files is not enough: {@code --dir
   * ~} must not turn a home directory into something {@code down --purge} touches. Writes nothing;
   * the marker comes once the spec parsed ({@link #run}).
   */
  private void checkDirectory() {
    if (!layout.hasMarker() && !layout.holdsOnlyOwnEntries()) {
      throw new IllegalArgumentException(
          "--dir "
              + layout.dir()
              + " is not empty and holds no cluster: choose a new or empty directory");
    }
  }

  /** Bad memory sizes fail here, before any process starts, naming the option. */
  private void validateFlinkMemory(ClusterSpec spec) {
    FlinkConf conf = flinkConf(spec);
    try {
      conf.taskManagerJvmArgs(layout.logFile("check"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--taskmanager-memory "
              + spec.taskManagerMemory()
              + " is unusable with "
              + EngineMemory.mebibytes(EngineMemory.taskOffHeapBytes(options.model()))
              + " of task off-heap memory for the model's ONNX Runtime buffers (give more, e.g."
              + " 2g for SmolVLM-256M): "
              + e.getMessage(),
          e);
    }
    try {
      conf.jobManagerJvmArgs(layout.logFile("check"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "JobManager memory " + spec.jobManagerMemory() + " is unusable: " + e.getMessage(), e);
    }
  }

  /**
   * An existing cluster keeps its Kafka nodes, ports and cluster id (its storage is formatted for
   * them) but takes the Flink sizes asked for now.
   */
  private ClusterSpec resized(ClusterSpec existing) {
    if (existing.nodes().size() != options.brokers()) {
      out.printf(
          "note: keeping the %d Kafka nodes of the existing cluster in %s (down --purge to"
              + " change)%n",
          existing.nodes().size(), layout.dir());
    }
    if (!existing.bindAddress().equals(options.bind())) {
      out.printf(
          "note: keeping --bind %s of the existing cluster in %s (down --purge to change)%n",
          existing.bindAddress(), layout.dir());
    }
    return new ClusterSpec(
        existing.clusterId(),
        existing.nodes(),
        existing.flinkRpcPort(),
        existing.flinkRestPort(),
        options.taskManagers(),
        options.slots(),
        options.jobManagerMemory(),
        options.taskManagerMemory(),
        existing.bindAddress());
  }

  private ClusterSpec freshSpec() {
    return ClusterSpec.fresh(
            options.brokers(),
            options.taskManagers(),
            options.slots(),
            options.jobManagerMemory(),
            options.taskManagerMemory())
        .withBind(options.bind());
  }

  private void startKafka(ClusterSpec spec, ProcessLauncher launcher, ClusterProcesses procs)
      throws InterruptedException {
    out.printf("Starting %d Kafka nodes (KRaft, broker+controller each)...%n", spec.nodes().size());
    List<PidFile> brokers = new ArrayList<>();
    for (JavaProcess p : procs.brokers()) {
      PidFile pid = launcher.start(p);
      brokers.add(pid);
      out.printf("  %-20s pid %-7d log %s%n", p.name(), pid.pid(), pid.log());
    }
    try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
      Readiness.await(
          "all " + spec.nodes().size() + " Kafka nodes in the cluster",
          brokers,
          options.readyTimeout(),
          () -> liveBrokers(admin) == spec.nodes().size());
      out.printf("  Kafka ready on %s%n", spec.bootstrapServers());
      out.printf(
          "Creating topics (replication factor %d, min.insync.replicas %d)...%n",
          spec.replicationFactor(), spec.minInsyncReplicas());
      new TopicAdmin(admin)
          .createAll(
              Topics.all(),
              spec.replicationFactor(),
              Map.of("min.insync.replicas", Integer.toString(spec.minInsyncReplicas())))
          .forEach(o -> out.println("  " + o));
    }
  }

  private static int liveBrokers(Admin admin) {
    try {
      return KafkaStatus.liveBrokers(admin);
    } catch (Exception e) {
      return -1;
    }
  }

  /** The Flink configuration, its TaskManager off-heap memory sized for the job's model. */
  private FlinkConf flinkConf(ClusterSpec spec) {
    return new FlinkConf(spec, layout, EngineMemory.taskOffHeapBytes(options.model()));
  }

  private void startFlink(ClusterSpec spec, ProcessLauncher launcher, ClusterProcesses procs)
      throws InterruptedException {
    FlinkConf conf = flinkConf(spec);
    conf.write();
    out.printf(
        "Starting Flink session cluster (1 JobManager, %d TaskManagers x %d slots)...%n",
        spec.taskManagers(), spec.slotsPerTaskManager());
    PidFile jm = launcher.start(procs.jobManager(conf));
    out.printf("  %-20s pid %-7d log %s%n", jm.name(), jm.pid(), jm.log());
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    Readiness.await(
        "the Flink REST API on " + spec.flinkRestUrl(),
        List.of(jm),
        options.readyTimeout(),
        () -> overview(rest).isPresent());
    List<PidFile> all = new ArrayList<>(List.of(jm));
    for (JavaProcess p : procs.taskManagers(conf)) {
      PidFile pid = launcher.start(p);
      all.add(pid);
      out.printf("  %-20s pid %-7d log %s%n", p.name(), pid.pid(), pid.log());
    }
    Readiness.await(
        spec.taskManagers() + " TaskManagers registered with the JobManager",
        all,
        options.readyTimeout(),
        () -> overview(rest).map(o -> o.taskManagers() >= spec.taskManagers()).orElse(false));
    out.printf(
        "  Flink ready: %d TaskManagers, %d slots, UI %s%n",
        spec.taskManagers(), spec.taskManagers() * spec.slotsPerTaskManager(), spec.flinkRestUrl());
  }

  private static Optional<FlinkRest.Overview> overview(FlinkRest rest) {
    try {
      return Optional.of(rest.overview());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private void startStages(ClusterSpec spec, ProcessLauncher launcher)
      throws InterruptedException, java.io.IOException {
    // One operator job per cluster: a second submission under the same name would share its
    // transactional-id prefix, fence the first job's producers and duplicate the output.
    Optional<FlinkRest.Job> active =
        new FlinkRest(spec.flinkRestUrl()).activeJob(StagePlan.JOB_NAME);
    Optional<Path> resume =
        active.isPresent() ? Optional.empty() : Savepoints.latestUnused(layout.flinkSavepoints());
    StagePlan plan =
        new StagePlan(options, spec, layout, commands, active.orElse(null), resume.orElse(null));
    if (options.model() == null) {
      out.printf(
          "No --model given: the job uses the tiny fixture model in %s (fast, meaningless"
              + " text).%n  For real summaries: streamsight model pull, then cluster up --model"
              + " DIR%n",
          plan.modelDir());
    }
    Optional<JavaProcess> fixture = plan.modelFixture();
    if (fixture.isPresent()) {
      PidFile pid = launcher.start(fixture.get());
      ProcessHandle.of(pid.pid()).ifPresent(h -> h.onExit().join());
      if (!java.nio.file.Files.isDirectory(plan.modelDir())) {
        throw new ClusterException(pid.name(), pid.log(), "did not create " + plan.modelDir());
      }
      java.nio.file.Files.deleteIfExists(layout.pidFile(pid.name()));
    }
    if (java.nio.file.Files.isDirectory(plan.modelDir())) {
      // One message naming the missing files now, rather than a submitter that fails in its log.
      VlmEngine.check(plan.modelDir(), options.engine().variant());
    }
    out.println("Starting pipeline stages...");
    List<JavaProcess> stages = plan.pipeline();
    plan.notes().forEach(n -> out.println("  note: " + n));
    for (JavaProcess p : stages) {
      PidFile pid = launcher.start(p);
      out.printf("  %-20s pid %-7d log %s%n", p.name(), pid.pid(), pid.log());
      if (p.name().equals(StagePlan.CONNECT)) {
        out.printf(
            "  subscribe: streamsight subscriptions add --connect http://%s:%d --secrets-dir %s"
                + " --id ID --webhook URL%n",
            options.bind(), StagePlan.CONNECT_PORT, plan.connectSecrets());
      }
      if (p.name().equals(StagePlan.OPERATOR)) {
        awaitJob(spec, pid);
        if (resume.isPresent() && p.args().contains(StagePlan.SAVEPOINT_OPTION)) {
          Savepoints.markResumed(resume.get());
          out.printf("  resumed from savepoint %s%n", resume.get());
        }
      }
    }
  }

  /**
   * Waits for the submitted job to run. The submitter ({@code operator --jobmanager}) exits once
   * the job is submitted, so its exit is fine after the job runs and a failure otherwise.
   */
  private void awaitJob(ClusterSpec spec, PidFile submitter)
      throws InterruptedException, java.io.IOException {
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    long deadline = System.nanoTime() + options.readyTimeout().toNanos();
    long exitedAt = 0;
    while (System.nanoTime() < deadline) {
      try {
        Optional<FlinkRest.Job> running =
            rest.jobs().stream()
                .filter(j -> j.name().equals(StagePlan.JOB_NAME) && j.state().equals("RUNNING"))
                .findFirst();
        if (running.isPresent()) {
          out.printf("  Flink job '%s' RUNNING (%s)%n", running.get().name(), running.get().id());
          Optional<ProcessHandle> h = submitter.liveProcess();
          if (h.isPresent()) {
            h.get().onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
          }
          if (!submitter.isAlive()) {
            java.nio.file.Files.deleteIfExists(layout.pidFile(submitter.name()));
          }
          return;
        }
      } catch (java.io.IOException e) {
        // JobManager busy: poll again
      }
      if (!submitter.isAlive()) {
        exitedAt = exitedAt == 0 ? System.nanoTime() : exitedAt;
        if (System.nanoTime() - exitedAt > TimeUnit.SECONDS.toNanos(15)) {
          throw new ClusterException(
              submitter.name(), submitter.log(), "exited without a RUNNING Flink job");
        }
      }
      TimeUnit.MILLISECONDS.sleep(1000);
    }
    throw new ClusterException(
        submitter.name(), submitter.log(), "no RUNNING Flink job after submission");
  }
}
