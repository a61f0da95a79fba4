package io.streamsight.deploy.cli;

import picocli.CommandLine.Command;

/** {@code streamsight cluster up|status|down}: a real multi-process cluster on loopback. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "A real cluster on this machine, as separate processes on 127.0.0.1: 3 KRaft Kafka nodes",
      "(replication factor 3, min ISR 2), a Flink session cluster (1 JobManager, 2 TaskManagers),",
      "ingest, 2 samplers and the operator job. Pid files, logs and data under --dir."
    },
    subcommands = {ClusterUpCommand.class, ClusterStatusCommand.class, ClusterDownCommand.class})
public final class ClusterCommand {}
