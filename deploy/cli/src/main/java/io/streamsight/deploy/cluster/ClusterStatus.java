package io.streamsight.deploy.cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code cluster status}: each recorded process alive or dead, Kafka brokers, replication and
 * consumer lag, and Flink TaskManagers and job states. Each section reports its own failure instead
 * of hiding the others.
 */
public final class ClusterStatus {
  /** What status found, for callers (and tests) that need more than the printout. */
  public record Report(List<PidFile> alive, List<PidFile> dead, int liveBrokers) {
    public boolean healthy() {
      return dead.isEmpty() && !alive.isEmpty();
    }
  }

  private final ClusterLayout layout;
  private final PrintStream out;

  public ClusterStatus(Path dir, PrintStream out) {
    this.layout = new ClusterLayout(dir);
    this.out = out;
  }

  public Report run() throws InterruptedException {
    Optional<ClusterSpec> spec = layout.loadSpec();
    if (spec.isEmpty()) {
      out.printf("No cluster in %s (run 'streamsight cluster up' first)%n", layout.dir());
      return new Report(List.of(), List.of(), 0);
    }
    List<PidFile> pids = PidFile.readAll(layout.pidDir());
    List<PidFile> alive = pids.stream().filter(PidFile::isAlive).toList();
    List<PidFile> dead = pids.stream().filter(p -> !p.isAlive()).toList();
    out.printf("Processes (%s):%n", layout.pidDir());
    for (PidFile p : pids) {
      out.printf(
          "  %-20s pid %-7d %-5s log %s%n",
          p.name(), p.pid(), p.isAlive() ? "alive" : "DEAD", p.log());
    }
    int brokers = kafka(spec.get());
    flink(spec.get());
    return new Report(alive, dead, brokers);
  }

  private int kafka(ClusterSpec spec) throws InterruptedException {
    out.printf("Kafka (%s):%n", spec.bootstrapServers());
    try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
      int live = KafkaStatus.liveBrokers(admin);
      out.printf("  brokers alive: %d of %d%n", live, spec.nodes().size());
      for (KafkaStatus.TopicHealth t : KafkaStatus.topicHealth(admin)) {
        out.printf(
            "  topic %-22s partitions %d replicas %d%s%n",
            t.topic(),
            t.partitions(),
            t.replicas(),
            t.underReplicated() == 0 ? "" : "  under-replicated: " + t.underReplicated());
      }
      List<KafkaStatus.GroupLag> lag = KafkaStatus.lag(admin);
      if (lag.isEmpty()) {
        out.println("  consumer groups: none with committed offsets yet");
      }
      for (KafkaStatus.GroupLag l : lag) {
        out.printf("  lag %-30s %-22s %d%n", l.group(), l.topic(), l.lag());
      }
      return live;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      out.printf("  unreachable: %s%n", e.getMessage());
      return 0;
    }
  }

  private void flink(ClusterSpec spec) throws InterruptedException {
    out.printf("Flink (%s):%n", spec.flinkRestUrl());
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    try {
      FlinkRest.Overview o = rest.overview();
      out.printf(
          "  taskmanagers %d of %d, slots %d free of %d%n",
          o.taskManagers(), spec.taskManagers(), o.slotsAvailable(), o.slotsTotal());
      List<FlinkRest.Job> jobs = rest.jobs();
      if (jobs.isEmpty()) {
        out.println("  jobs: none");
      }
      for (FlinkRest.Job j : jobs) {
        String on = "";
        if (j.state().equals("RUNNING")) {
          var tms = rest.taskManagersOf(j.id());
          on = tms.isEmpty() ? "  (tasks not deployed yet)" : "  on " + String.join(", ", tms);
        }
        out.printf("  job %-30s %-10s %s%s%n", j.name(), j.state(), j.id(), on);
      }
    } catch (java.io.IOException e) {
      out.printf("  unreachable: %s%n", e.getMessage() == null ? e : e.getMessage());
    }
  }
}
