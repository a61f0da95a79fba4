package io.streamsight.console.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives every blocking write to a client a deadline. Java's socket writes have none: a client that
 * stops reading (a background tab's live stream, a deliberate attack) blocks the writing thread for
 * good once the socket buffers fill. Each write registers its start; one daemon thread checks four
 * times a second and closes the connection of a write older than the timeout, which fails the write
 * and frees the thread. Costs a map entry per write in progress, nothing per idle one.
 */
final class WriteWatchdog implements AutoCloseable {
  private final long timeoutNanos;
  private final Map<SocketChannel, Long> writing = new ConcurrentHashMap<>();
  private final AtomicLong timedOut = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-write-watchdog");
            t.setDaemon(true);
            return t;
          });

  WriteWatchdog(java.time.Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    timer.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
  }

  private void check() {
    long now = System.nanoTime();
    writing.forEach(
        (ch, start) -> {
          if (now - start > timeoutNanos && writing.remove(ch, start)) {
            timedOut.incrementAndGet();
            try {
              ch.close();
            } catch (IOException ignored) {
              // closing is all we wanted
            }
          }
        });
  }

  /** {@code out} (the channel's blocking stream) with each write under the deadline. */
  OutputStream watch(SocketChannel ch, OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writing.put(ch, System.nanoTime());
        try {
          out.write(b, off, len);
        } finally {
          writing.remove(ch);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  /** Connections closed because a write outlived the timeout. */
  long timedOut() {
    return timedOut.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
