package io.streamsight.deploy.cli;

import io.streamsight.deploy.cluster.ClusterDown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight cluster down}. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stop every process 'cluster up' started (by its pid files): SIGTERM, then SIGKILL after",
      "the grace period. Data stays unless --purge."
    })
final class ClusterDownCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      defaultValue = ".streamsight/cluster",
      description = "Cluster directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--purge", description = "Also delete the cluster directory (data, logs).")
  boolean purge;

  @Option(
      names = "--grace",
      defaultValue = "20s",
      description = "Wait this long after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Override
  public Integer call() throws Exception {
    List<String> survivors = new ClusterDown(dir, grace, System.out).run(purge);
    if (!survivors.isEmpty()) {
      System.err.println("streamsight cluster down: still running: " + survivors);
      return 1;
    }
    return 0;
  }
}
