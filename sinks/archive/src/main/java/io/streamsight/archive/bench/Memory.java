package io.streamsight.archive.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux). */
final class Memory {
  private Memory() {}

  /** CPU time of the whole process (all threads, native ones included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static String rss() {
    try {
      String rss = "?";
      String hwm = "?";
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = line.substring(6).trim();
        } else if (line.startsWith("VmHWM:")) {
          hwm = line.substring(6).trim();
        }
      }
      Runtime rt = Runtime.getRuntime();
      return String.format(
          "now %s, peak %s; heap used %d MiB of %d MiB max",
          rss, hwm, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    } catch (Exception e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }
}
