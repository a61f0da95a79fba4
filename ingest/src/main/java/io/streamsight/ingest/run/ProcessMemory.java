package io.streamsight.ingest.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak memory of this JVM, for the ingest summary and the benchmark (heap vs native RSS). */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Sum of the heap pools' peak usage in MiB (an upper bound of the true simultaneous peak). */
  public static long peakHeapMiB() {
    long bytes = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        bytes += p.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }

  /** Peak resident set size (VmHWM) in MiB, or -1 where /proc is not available. */
  public static long peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** One line for summaries. */
  public static String summary() {
    return "jvm: peak heap " + peakHeapMiB() + " MiB, peak RSS " + peakRssMiB() + " MiB";
  }
}
