package io.streamsight.deploy.cli;

import io.streamsight.archive.Archive;
import io.streamsight.archive.ArchiveConfig;
import io.streamsight.archive.ArchiveStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamsight archive}: the searchable history (the logic is in the archive module). */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    subcommands = {ArchiveStatusCommand.class},
    description = {
      "Index vlm.summaries and vlm.alerts into a local Lucene archive (hybrid text + semantic"
          + " search, evidence thumbnails from cameras.keyframes). Follows the topics until"
          + " Ctrl-C, or with --once up to their current end. Search it with `streamsight search`.",
      "The consumed offsets live in the index commits: a restart resumes where it stopped."
    })
public final class ArchiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap", description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(names = "--dir", description = "Archive directory (index + thumbnails).")
  String dir;

  @Option(
      names = "--once",
      description = "Index up to the end offsets present at start, then exit.")
  boolean once;

  @Option(
      names = "--rebuild",
      description = "Drop the archive and index the topics from the start.")
  boolean rebuild;

  @Option(names = "--retain", description = "Delete windows older than this (default 30d).")
  String retain;

  @Option(names = "--max-disk", description = "Disk budget for index + thumbnails (default 5g).")
  String maxDisk;

  @picocli.CommandLine.Mixin MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    if (bootstrap == null || dir == null) {
      throw new ParameterException(spec.commandLine(), "--bootstrap and --dir are required");
    }
    Map<String, String> settings = new HashMap<>();
    settings.put(ArchiveConfig.BOOTSTRAP.name(), bootstrap);
    settings.put(ArchiveConfig.DIR.name(), dir);
    settings.put(ArchiveConfig.RETAIN.name(), retain);
    settings.put(ArchiveConfig.MAX_DISK.name(), maxDisk);
    ArchiveConfig config;
    try {
      config = ArchiveConfig.parse(settings);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    try (Archive archive = Archive.open(config, rebuild)) {
      if (once) {
        archive.runOnce();
      } else {
        Thread hook = new Thread(archive::close, "archive-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        archive.start();
        var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        io.streamsight.deploy.metrics.ArchiveMetrics.register(registry, archive, config);
        var endpoint =
            metrics.start(spec.commandLine(), registry, MetricsOptions.ARCHIVE, System.err);
        System.out.println("Archiving into " + dir + " (Ctrl-C stops)");
        try {
          while (archive.isRunning()) {
            Thread.sleep(500); // only waits for Ctrl-C or a failure; nothing to synchronise
          }
        } finally {
          endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close);
        }
        archive.stop();
      }
      System.out.println(ArchiveStatusCommand.render(ArchiveStatus.read(config.dir())));
    }
    return 0;
  }
}
