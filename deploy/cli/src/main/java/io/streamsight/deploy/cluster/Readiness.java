package io.streamsight.deploy.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Polls a readiness condition while watching the processes it depends on: a process that dies fails
 * at once with its log, instead of waiting out the whole timeout.
 */
final class Readiness {
  private Readiness() {}

  static void await(
      String what, Collection<PidFile> processes, Duration timeout, BooleanSupplier ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (PidFile p : processes) {
        if (!p.isAlive()) {
          throw new ClusterException(p.name(), p.log(), "exited while waiting for " + what);
        }
      }
      boolean ok;
      try {
        ok = ready.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false; // not reachable yet: keep polling
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        PidFile first = processes.isEmpty() ? null : processes.iterator().next();
        throw new ClusterException(
            first == null ? what : first.name(),
            first == null ? null : first.log(),
            what + " not ready after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(500);
    }
  }
}
