package io.streamsight.deploy.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts cluster processes detached from the terminal, each with its log file and pid file. A
 * process outlives {@code cluster up} (that is the point) and is stopped by {@code cluster down}
 * through its pid file.
 */
public final class ProcessLauncher {
  /** What to start: a Java main class with JVM and program arguments. */
  public record JavaProcess(
      String name,
      String mainClass,
      List<String> jvmArgs,
      List<String> args,
      Map<String, String> env) {
    public JavaProcess {
      jvmArgs = List.copyOf(jvmArgs);
      args = List.copyOf(args);
      env = Map.copyOf(env);
    }
  }

  // setsid puts the child in its own session, so a Ctrl-C on the terminal that ran 'cluster up'
  // does not reach the cluster. It execs in place (the pid stays the child's).
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Distribution dist;
  private final ClusterLayout layout;

  public ProcessLauncher(Distribution dist, ClusterLayout layout) {
    this.dist = dist;
    this.layout = layout;
  }

  /** The full command line (without setsid), for tests and for the log header. */
  public List<String> commandLine(JavaProcess p) {
    List<String> cmd = new ArrayList<>();
    cmd.add(dist.javaBin().toString());
    cmd.addAll(p.jvmArgs());
    cmd.add("-cp");
    cmd.add(dist.classPath());
    cmd.add(p.mainClass());
    cmd.addAll(p.args());
    return cmd;
  }

  /**
   * Starts the process unless its pid file names a live one (then returns that: {@code up} is
   * idempotent). Output and errors go to {@code logs/<name>.log} (appended).
   */
  public PidFile start(JavaProcess p) {
    Path pidFile = layout.pidFile(p.name());
    if (Files.exists(pidFile)) {
      PidFile existing = PidFile.read(pidFile);
      if (existing.isAlive()) {
        return existing;
      }
    }
    Path log = layout.logFile(p.name());
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(commandLine(p));
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "==== " + java.time.Instant.now() + " " + String.join(" ", commandLine(p)) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(layout.dir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(p.env());
      Process process = pb.start();
      PidFile written = PidFile.of(p.name(), process.toHandle(), log);
      written.write(pidFile);
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + p.name() + " (log " + log + ")", e);
    }
  }
}
