package io.streamsight.deploy.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.archive.Archive;
import io.streamsight.archive.ArchiveConfig;
import io.streamsight.archive.ArchiveStatus;
import java.util.function.ToDoubleFunction;

/**
 * The archive's metrics: documents indexed (a counter kept by the indexer), and from its last
 * commit ({@link ArchiveStatus}) the disk use against the budget, the documents and the newest
 * window archived. The commit figures cost a Lucene directory listing, so they are read at most
 * every 10 s whatever the scrape interval.
 */
public final class ArchiveMetrics {
  private static final long REFRESH_NANOS = 10_000_000_000L;

  private ArchiveMetrics() {}

  public static void register(PrometheusRegistry registry, Archive archive, ArchiveConfig config) {
    CounterWithCallback.builder()
        .name("streamsight_archive_indexed_total")
        .help("Documents (summaries and alerts) indexed since the archive process started")
        .callback(cb -> cb.call(archive.indexed()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("streamsight_archive_max_disk_bytes")
        .help("The archive's disk budget (archive.maxDisk)")
        .callback(cb -> cb.call(config.maxDiskBytes()))
        .register(registry);
    Cached status = new Cached(archive);
    gauge(
        registry,
        status,
        "streamsight_archive_disk_bytes",
        "Index plus thumbnails on disk, as of the last commit",
        s -> s.totalBytes());
    gauge(
        registry,
        status,
        "streamsight_archive_summaries",
        "Summaries in the archive",
        s -> s.summaries());
    gauge(registry, status, "streamsight_archive_alerts", "Alerts in the archive", s -> s.alerts());
    gauge(
        registry,
        status,
        "streamsight_archive_newest_window_timestamp_seconds",
        "Start of the newest archived window (0 = empty)",
        s -> s.newestWindowMicros() == null ? 0 : s.newestWindowMicros() / 1e6);
  }

  private static void gauge(
      PrometheusRegistry registry,
      Cached status,
      String name,
      String help,
      ToDoubleFunction<ArchiveStatus> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            cb -> {
              ArchiveStatus s = status.get();
              if (s != null) {
                cb.call(value.applyAsDouble(s));
              }
            })
        .register(registry);
  }

  /** The status of the last commit, re-read at most every 10 s; null before the first commit. */
  private static final class Cached {
    private final Archive archive;
    private ArchiveStatus last;
    private long readNanos;

    Cached(Archive archive) {
      this.archive = archive;
    }

    synchronized ArchiveStatus get() {
      long now = System.nanoTime();
      if (last == null || now - readNanos > REFRESH_NANOS) {
        try {
          last = archive.status();
        } catch (RuntimeException noCommitYet) {
          // an archive without its first commit has no figures yet
        }
        readNanos = now;
      }
      return last;
    }
  }
}
