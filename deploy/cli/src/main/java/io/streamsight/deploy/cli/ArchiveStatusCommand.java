package io.streamsight.deploy.cli;

import io.streamsight.archive.ArchiveStatus;
import io.streamsight.archive.index.CommitPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight archive status --dir DIR}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Documents, disk use against the budget, retention, offsets and counters of an archive.")
public final class ArchiveStatusCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "Archive directory.")
  Path dir;

  @Override
  public Integer call() {
    System.out.println(render(ArchiveStatus.read(dir)));
    return 0;
  }

  static String render(ArchiveStatus s) {
    CommitPoint c = s.commit();
    long max = c.counter(CommitPoint.MAX_DISK_BYTES);
    StringBuilder sb = new StringBuilder();
    sb.append("archive ").append(s.dir()).append('\n');
    sb.append(String.format("  documents   %d summaries, %d alerts%n", s.summaries(), s.alerts()));
    sb.append(String.format("  thumbnails  %d (%s)%n", s.thumbnails(), mib(s.thumbnailBytes())));
    sb.append(
        String.format(
            "  disk        %s used (index %s + thumbnails %s) of %s%s%n",
            mib(s.totalBytes()),
            mib(s.indexBytes()),
            mib(s.thumbnailBytes()),
            max == 0 ? "?" : mib(max),
            max == 0 ? "" : String.format(" (%.0f%%)", 100.0 * s.totalBytes() / max)));
    sb.append(
        String.format(
            "  retention   %s; windows from %s to %s%n",
            c.counter(CommitPoint.RETAIN_MILLIS) == 0
                ? "?"
                : human(Duration.ofMillis(c.counter(CommitPoint.RETAIN_MILLIS))),
            time(s.oldestWindowMicros()),
            time(s.newestWindowMicros())));
    sb.append(
        String.format(
            "  deleted     %d by retention, %d by the disk budget%n",
            c.counter(CommitPoint.DELETED_BY_RETENTION),
            c.counter(CommitPoint.DELETED_BY_DISK_BUDGET)));
    sb.append(
        String.format(
            "  records     %d dead-lettered to dlq.archive, %d expired on arrival; thumbnails %d"
                + " missing (keyframe gone), %d refused%n",
            c.counter(CommitPoint.DEAD_LETTERED),
            c.counter(CommitPoint.EXPIRED_ON_ARRIVAL),
            c.counter(CommitPoint.THUMBNAILS_MISSING),
            c.counter(CommitPoint.THUMBNAILS_REFUSED)));
    sb.append(
        String.format(
            "  committed   %s, model %s%n",
            c.committedAtMillis() == 0 ? "never" : Instant.ofEpochMilli(c.committedAtMillis()),
            c.modelId()));
    sb.append("  offsets     ").append(s.offsets());
    return sb.toString();
  }

  private static String human(Duration d) {
    if (d.toMillis() % 86_400_000L == 0) {
      return d.toDays() + "d";
    }
    return d.toMillis() % 3_600_000L == 0 ? d.toHours() + "h" : d.toString();
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String time(Long micros) {
    return micros == null
        ? "-"
        : Instant.EPOCH.plus(micros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
