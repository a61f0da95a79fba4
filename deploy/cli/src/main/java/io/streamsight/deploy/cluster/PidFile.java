package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One started process, as recorded in {@code pids/<name>.pid}: its pid, its start instant and its
 * log file. The start instant guards against pid reuse: after a reboot or a long time, the pid may
 * belong to an unrelated process, which {@code down} must never signal.
 *
 * @param startedAt the process start instant as the OS reports it ({@code null} if unknown)
 */
public record PidFile(String name, long pid, Instant startedAt, Path log) {

  /** Records a process we just started. */
  public static PidFile of(String name, ProcessHandle handle, Path log) {
    return new PidFile(name, handle.pid(), handle.info().startInstant().orElse(null), log);
  }

  /** Format: {@code pid start-instant-or-dash log-path}, one line. */
  public String format() {
    return pid + " " + (startedAt == null ? "-" : startedAt.toString()) + " " + log + "\n";
  }

  public static PidFile parse(String name, String content) {
    String[] parts = content.trim().split(" ", 3);
    if (parts.length < 3) {
      throw new IllegalArgumentException(
          "pid file of '" + name + "' is malformed: '" + content.trim() + "'");
    }
    try {
      long pid = Long.parseLong(parts[0]);
      Instant started = "-".equals(parts[1]) ? null : Instant.parse(parts[1]);
      return new PidFile(name, pid, started, Path.of(parts[2]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "pid file of '" + name + "' is malformed: '" + content.trim() + "'", e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, format(), StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write pid file " + file, e);
    }
  }

  public static PidFile read(Path file) {
    String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
    try {
      return parse(name, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read pid file " + file, e);
    }
  }

  /** Every pid file in {@code dir}, sorted by name. */
  public static List<PidFile> readAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<PidFile> out = new ArrayList<>();
      files
          .filter(f -> f.getFileName().toString().endsWith(".pid"))
          .sorted()
          .forEach(f -> out.add(read(f)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list pid files in " + dir, e);
    }
  }

  /**
   * The live process this file names, only if it is still the same process (same pid and, when both
   * are known, the same start instant).
   */
  public Optional<ProcessHandle> liveProcess() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h -> {
              Optional<Instant> actual = h.info().startInstant();
              return startedAt == null || actual.isEmpty() || actual.get().equals(startedAt);
            });
  }

  public boolean isAlive() {
    return liveProcess().isPresent();
  }
}
