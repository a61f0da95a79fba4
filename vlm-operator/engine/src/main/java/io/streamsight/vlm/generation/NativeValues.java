package io.streamsight.vlm.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every ONNX Runtime value (tensor or session result) one batch holds, so that a failure anywhere
 * in the batch closes them all: a KV cache lives in native memory that no garbage collection frees,
 * so one leaked per failed batch grows the process until the OS kills it.
 *
 * <p>Values closed on the normal path are closed through {@link #close(AutoCloseable)} (closed and
 * forgotten); whatever is still held when the scope closes is closed then, newest first.
 */
final class NativeValues implements AutoCloseable {
  /**
   * Values opened through any scope and not yet closed, across the JVM. A gauge, not state: tests
   * assert it returns to where it was after a failed batch, which is the leak check.
   */
  private static final AtomicLong LIVE = new AtomicLong();

  private final List<AutoCloseable> held = new ArrayList<>();

  static long live() {
    return LIVE.get();
  }

  /** Takes ownership of {@code value}; returns it for chaining. */
  <T extends AutoCloseable> T own(T value) {
    held.add(value);
    LIVE.incrementAndGet();
    return value;
  }

  /** Closes a value this scope owns and forgets it (identity, so equal tensors do not mix up). */
  void close(AutoCloseable value) {
    for (int i = held.size() - 1; i >= 0; i--) {
      if (held.get(i) == value) {
        held.remove(i);
        LIVE.decrementAndGet();
        closeOne(value);
        return;
      }
    }
    throw new IllegalStateException("closing a value this batch does not own");
  }

  void closeAll(List<? extends AutoCloseable> values) {
    values.forEach(this::close);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (int i = held.size() - 1; i >= 0; i--) {
      try {
        closeOne(held.get(i));
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
      LIVE.decrementAndGet();
    }
    held.clear();
    if (first != null) {
      throw first;
    }
  }

  private static void closeOne(AutoCloseable value) {
    try {
      value.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close an ONNX Runtime value", e);
    }
  }
}
