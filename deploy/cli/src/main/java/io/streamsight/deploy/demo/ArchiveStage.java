package io.streamsight.deploy.demo;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.archive.Archive;
import io.streamsight.archive.ArchiveConfig;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.deploy.console.ArchiveSearchBackend;
import io.streamsight.deploy.metrics.ArchiveMetrics;
import io.streamsight.embeddings.MiniLmEmbedder;
import java.nio.file.Path;
import java.util.Map;

/**
 * The archive in-process: summaries and alerts indexed into {@code dir}, searched by the console.
 * One MiniLM embedder (about a second to load) serves both the archive's indexing and the console's
 * queries.
 */
final class ArchiveStage implements Stage {
  private final String bootstrap;
  private final Path dir;
  private MiniLmEmbedder embedder;
  private Archive archive;
  private ArchiveSearchBackend search;
  private final PrometheusRegistry registry;

  /** {@code registry}: where its metrics go, or null for none. */
  ArchiveStage(String bootstrap, Path dir, PrometheusRegistry registry) {
    this.bootstrap = bootstrap;
    this.dir = dir;
    this.registry = registry;
  }

  @Override
  public String name() {
    return "archive (search history) in " + dir;
  }

  @Override
  public void start() {
    ArchiveConfig config =
        ArchiveConfig.parse(
            Map.of(
                ArchiveConfig.BOOTSTRAP.name(),
                bootstrap,
                ArchiveConfig.DIR.name(),
                dir.toString(),
                // A demo window is a few seconds: commit often so it is searchable soon after.
                ArchiveConfig.COMMIT_INTERVAL.name(),
                "1s",
                // One thread: a demo's few summaries embed in milliseconds, and the VLM needs the
                // cores.
                ArchiveConfig.EMBED_THREADS.name(),
                "1"));
    embedder = MiniLmEmbedder.load(config.embedThreads());
    try {
      archive = Archive.open(config, embedder, false);
      archive.start();
      if (registry != null) {
        ArchiveMetrics.register(registry, archive, config);
      }
      search = ArchiveSearchBackend.sharing(dir, embedder);
    } catch (RuntimeException e) {
      close(); // a stage that failed to start is not closed by the runner
      throw e;
    }
  }

  /** The console's search over this archive (valid once started). */
  SearchBackend search() {
    return search;
  }

  @Override
  public void close() {
    try {
      if (search != null) {
        search.close();
      }
      if (archive != null) {
        archive.close();
      }
    } finally {
      if (embedder != null) {
        embedder.close();
      }
    }
  }
}
