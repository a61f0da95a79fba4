package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The savepoints {@code cluster down} leaves in {@code flink/savepoints/} and which one {@code up}
 * resumes from. A savepoint is used once: after a job resumed from it, a marker file excludes it,
 * so a later {@code up} after a crash (no new savepoint) does not rewind the job to an old state
 * and replay its output; it starts from the offsets the job committed instead.
 */
public final class Savepoints {
  static final String RESUMED = ".resumed-by-up";

  private Savepoints() {}

  /** The newest complete savepoint not yet resumed from (Flink writes {@code _metadata} last). */
  public static Optional<Path> latestUnused(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .filter(p -> !Files.exists(p.resolve(RESUMED)))
          .max(Comparator.comparing(Savepoints::written));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list savepoints in " + dir, e);
    }
  }

  /** Marks {@code savepoint} as resumed from (nothing is moved: a failover may still read it). */
  public static void markResumed(Path savepoint) {
    try {
      Files.writeString(savepoint.resolve(RESUMED), java.time.Instant.now() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot mark savepoint " + savepoint + " as resumed", e);
    }
  }

  private static FileTime written(Path savepoint) {
    try {
      return Files.getLastModifiedTime(savepoint.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
