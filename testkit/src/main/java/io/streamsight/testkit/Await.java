package io.streamsight.testkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting for a condition instead of sleeping: polls until it holds and fails after a deadline with
 * what was awaited and the last value seen. An exception (or assertion error) thrown by the probe
 * fails at once: a probe can check that what it watches is still healthy.
 */
public final class Await {
  /** Short enough not to slow tests down, long enough not to busy-load a shared 2-core machine. */
  private static final long POLL_MILLIS = 50;

  private Await() {}

  /** Reads a value to test; may throw (for instance a Kafka admin call). */
  @FunctionalInterface
  public interface Probe<T> {
    T read() throws Exception;
  }

  /** A condition to test; may throw. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Reads with {@code probe} until {@code done} accepts the value, and returns that value.
   *
   * @throws AssertionError after {@code timeout}, naming {@code what} and the last value read
   */
  public static <T> T until(
      String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.read();
    while (!done.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
      }
      Thread.sleep(POLL_MILLIS);
      last = probe.read();
    }
    return last;
  }

  /**
   * Waits until {@code condition} holds.
   *
   * @throws AssertionError after {@code timeout}, naming {@code what}
   */
  public static void until(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
