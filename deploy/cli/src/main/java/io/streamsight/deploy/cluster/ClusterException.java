package io.streamsight.deploy.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cluster process failed to start or become ready. The message names the process and its log file
 * and quotes the log's last lines, so the user sees why without hunting for files.
 */
public final class ClusterException extends RuntimeException {
  private final String process;
  private final Path log;

  public ClusterException(String process, Path log, String what) {
    super(process + ": " + what + (log == null ? "" : " (log: " + log + ")" + tail(log)));
    this.process = process;
    this.log = log;
  }

  public String process() {
    return process;
  }

  public Path log() {
    return log;
  }

  static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "";
      }
      // Stack frames say little to a user; the exception and log lines around them say why.
      List<String> lines =
          Files.readAllLines(log).stream()
              .filter(
                  l ->
                      !l.stripLeading().startsWith("at ")
                          && !l.strip().matches("\\.\\.\\. \\d+ more"))
              .toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - 8), lines.size());
      return last.isEmpty() ? "" : "\n  last log lines:\n    " + String.join("\n    ", last);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
