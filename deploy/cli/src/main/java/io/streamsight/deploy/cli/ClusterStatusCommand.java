package io.streamsight.deploy.cli;

import io.streamsight.deploy.cluster.ClusterStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight cluster status}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the local cluster: processes alive or dead, Kafka brokers, replication and consumer",
      "lag, Flink TaskManagers and job states. Exit code 3 if a recorded process is dead."
    })
final class ClusterStatusCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      defaultValue = ".streamsight/cluster",
      description = "Cluster directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    ClusterStatus.Report r = new ClusterStatus(dir, System.out).run();
    return r.dead().isEmpty() ? 0 : 3;
  }
}
