package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code cluster down}: stops every process this cluster directory's pid files name, stages first
 * and Kafka last (so producers and the job stop before the brokers they write to). Each group gets
 * SIGTERM, then SIGKILL after the grace period. Never signals a process whose start time differs
 * from its pid file's (a reused pid).
 */
public final class ClusterDown {
  // The operator's state is small (windows of frame references, rules): seconds, not minutes.
  private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(2);
  private final ClusterLayout layout;
  private final Duration grace;
  private final PrintStream out;

  public ClusterDown(Path dir, Duration grace, PrintStream out) {
    this.layout = new ClusterLayout(dir);
    this.grace = grace;
    this.out = out;
  }

  /** Stop order: 0 stages, 1 TaskManagers, 2 JobManager, 3 Kafka nodes. */
  static int stopOrder(String name) {
    if (name.startsWith("kafka-")) {
      return 3;
    }
    if (name.equals(ClusterProcesses.JOB_MANAGER)) {
      return 2;
    }
    if (name.startsWith("flink-taskmanager-")) {
      return 1;
    }
    return 0;
  }

  /**
   * Stops everything; returns the names of processes still alive afterwards (empty = clean).
   *
   * @throws IllegalArgumentException before stopping anything, when {@code purge} names a directory
   *     {@code cluster up} did not make (no marker file)
   */
  public List<String> run(boolean purge) throws InterruptedException {
    if (purge && !layout.hasMarker()) {
      throw new IllegalArgumentException(
          "refusing to purge "
              + layout.dir()
              + ": it has no "
              + layout.markerFile().getFileName()
              + " marker, so 'cluster up' did not create it (nothing was stopped or deleted)");
    }
    List<PidFile> all = PidFile.readAll(layout.pidDir());
    if (all.isEmpty()) {
      out.printf("No processes recorded under %s%n", layout.pidDir());
    }
    stopJobs();
    List<String> survivors = new ArrayList<>();
    for (int order = 0; order <= 3; order++) {
      final int o = order;
      List<PidFile> group = all.stream().filter(p -> stopOrder(p.name()) == o).toList();
      survivors.addAll(stopGroup(group));
    }
    if (purge) {
      if (survivors.isEmpty()) {
        purge();
      } else {
        out.printf("Not purging %s: %s still running%n", layout.dir(), survivors);
      }
    } else {
      out.printf("Data kept in %s (use --purge to delete it)%n", layout.dir());
    }
    return survivors;
  }

  /**
   * Deletes what {@code up} made ({@link ClusterLayout#ownEntries()}, the marker last) and the
   * directory when that leaves it empty; anything else stays, and is named.
   */
  private void purge() {
    for (Path p : layout.ownEntries()) {
      deleteTree(p);
    }
    List<String> others;
    try (Stream<Path> s = Files.list(layout.dir())) {
      others = s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.dir(), e);
    }
    if (others.isEmpty()) {
      deleteTree(layout.dir());
      out.printf("Purged %s%n", layout.dir());
    } else {
      out.printf(
          "Purged the cluster's files in %s; kept %s (not made by cluster up)%n",
          layout.dir(), others);
    }
  }

  /**
   * Stops running jobs first, each with a savepoint under {@code flink/savepoints/} (its last
   * transactions commit; {@code up} resumes from it), falling back to cancel (transactions abort,
   * the next start resumes from the committed offsets). Best effort.
   */
  private void stopJobs() {
    Optional<ClusterSpec> spec;
    try {
      spec = layout.loadSpec();
    } catch (RuntimeException e) {
      return;
    }
    if (spec.isEmpty()) {
      return;
    }
    FlinkRest rest = new FlinkRest(spec.get().flinkRestUrl());
    try {
      for (FlinkRest.Job job : rest.jobs()) {
        if (job.state().equals("RUNNING")) {
          try {
            String at =
                rest.stopWithSavepoint(
                    job.id(), layout.flinkSavepoints().toUri().toString(), SAVEPOINT_TIMEOUT);
            out.printf("  stopped Flink job '%s' with savepoint %s%n", job.name(), at);
            continue;
          } catch (java.io.IOException e) {
            out.printf(
                "  savepoint of Flink job '%s' failed (%s): cancelling it%n",
                job.name(), e.getMessage());
          }
        }
        if (job.state().equals("RUNNING") || job.state().equals("RESTARTING")) {
          rest.cancel(job.id());
          out.printf("  cancelled Flink job '%s' (%s)%n", job.name(), job.id());
        }
      }
    } catch (Exception e) {
      // JobManager not running: nothing to cancel
    }
  }

  private List<String> stopGroup(List<PidFile> group) throws InterruptedException {
    List<PidFile> live = new ArrayList<>();
    for (PidFile p : group) {
      Optional<ProcessHandle> h = p.liveProcess();
      if (h.isEmpty()) {
        out.printf("  %-20s not running%n", p.name());
        deletePidFile(p);
        continue;
      }
      h.get().descendants().forEach(ProcessHandle::destroy);
      h.get().destroy();
      live.add(p);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    List<String> survivors = new ArrayList<>();
    for (PidFile p : live) {
      Optional<ProcessHandle> h = p.liveProcess();
      if (h.isEmpty()) {
        report(p, "stopped");
        continue;
      }
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        h.get().onExit().get(left, TimeUnit.NANOSECONDS);
        report(p, "stopped");
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        h.get().descendants().forEach(ProcessHandle::destroyForcibly);
        h.get().destroyForcibly();
        try {
          h.get().onExit().get(10, TimeUnit.SECONDS);
          report(p, "killed (no exit within " + grace.toSeconds() + " s of SIGTERM)");
        } catch (java.util.concurrent.TimeoutException
            | java.util.concurrent.ExecutionException x) {
          out.printf("  %-20s pid %d STILL RUNNING after SIGKILL%n", p.name(), p.pid());
          survivors.add(p.name());
          continue;
        }
      }
    }
    return survivors;
  }

  private void report(PidFile p, String what) {
    out.printf("  %-20s pid %-7d %s%n", p.name(), p.pid(), what);
    deletePidFile(p);
  }

  private void deletePidFile(PidFile p) {
    try {
      Files.deleteIfExists(layout.pidFile(p.name()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete pid file of " + p.name(), e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }
}
