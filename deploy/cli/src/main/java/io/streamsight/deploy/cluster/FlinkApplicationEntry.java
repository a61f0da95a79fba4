package io.streamsight.deploy.cluster;

import io.streamsight.deploy.cli.StreamsightCli;

/**
 * The entry class of the Kubernetes {@code FlinkDeployment} (application mode): runs a {@code
 * streamsight} command, normally {@code operator ...}, inside the JobManager. Unlike {@link
 * io.streamsight.deploy.Main} it never calls {@code System.exit}, which would take the JobManager
 * down with it; a failure is thrown so Flink reports the application as failed.
 */
public final class FlinkApplicationEntry {
  private FlinkApplicationEntry() {}

  public static void main(String[] args) {
    int rc = StreamsightCli.run(args);
    if (rc != 0) {
      throw new IllegalStateException(
          "streamsight " + String.join(" ", args) + " exited with code " + rc);
    }
  }
}
