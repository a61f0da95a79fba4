package io.streamsight.deploy.bench.capacity;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One pipeline stage as users run it: {@code streamsight <command> ...} in a JVM of its own (this
 * JVM's class path), so its CPU time, RSS and heap are its own. Its output goes to a log file and
 * is watched line by line for readiness. Heap and broker byte counters are read over the JDK's
 * local management agent (attach API: no port is opened).
 */
final class StageProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private JMXConnector jmx;

  private record Watch(Pattern pattern, CompletableFuture<Matcher> found) {}

  private StageProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code streamsight args...} with {@code heap} as -Xmx (e.g. "2g"). */
  static StageProcess start(String name, Path dir, String heap, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.streamsight.deploy.Main");
    cmd.addAll(args);
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("DJL_OFFLINE", "true");
    pb.environment().putIfAbsent("RUST_FLAVOR", "cpu");
    StageProcess stage = new StageProcess(name, pb.start(), log);
    Thread reader = new Thread(stage::pump, "capacity-" + name + "-output");
    reader.setDaemon(true);
    reader.start();
    return stage;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * Waits until the stage prints a line matching {@code regex} (or has printed one already since
   * the watch was set: call before the event) and returns the match.
   */
  CompletableFuture<Matcher> watch(String regex) {
    Watch w = new Watch(Pattern.compile(regex), new CompletableFuture<>());
    watches.add(w);
    return w.found();
  }

  Matcher await(CompletableFuture<Matcher> watch, Duration limit) throws Exception {
    try {
      return watch.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          name
              + " not ready within "
              + limit
              + " ("
              + (process.isAlive() ? "running" : "exited")
              + "); see "
              + log);
    }
  }

  private void pump() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        for (Watch w : watches) {
          Matcher m = w.pattern().matcher(line);
          if (!w.found().isDone() && m.find()) {
            w.found().complete(m);
          }
        }
      }
    } catch (IOException e) {
      // The process ended; its exit is seen by whoever waits on it.
    }
    watches.forEach(
        w -> w.found().completeExceptionally(new IllegalStateException(name + " exited")));
  }

  /** User + system CPU time of the whole process so far, in milliseconds. */
  long cpuMillis() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
  }

  /** Resident set size in bytes, from /proc (Linux); -1 elsewhere. */
  long rssBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Heap in use, in bytes, over the local management agent; -1 when it cannot be read. */
  long heapUsedBytes() {
    try {
      CompositeData heap =
          (CompositeData)
              mbeans().getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
      return MemoryUsage.from(heap).getUsed();
    } catch (Exception e) {
      return -1;
    }
  }

  /** A Kafka broker's byte counter ({@code BytesInPerSec} / {@code BytesOutPerSec}) in total. */
  long brokerBytes(String meter) {
    try {
      return ((Number)
              mbeans()
                  .getAttribute(
                      new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + meter),
                      "Count"))
          .longValue();
    } catch (Exception e) {
      return -1;
    }
  }

  private synchronized MBeanServerConnection mbeans() throws Exception {
    if (jmx == null) {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
      try {
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
      } finally {
        vm.detach();
      }
    }
    return jmx.getMBeanServerConnection();
  }

  @Override
  public void close() {
    try {
      if (jmx != null) {
        jmx.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
