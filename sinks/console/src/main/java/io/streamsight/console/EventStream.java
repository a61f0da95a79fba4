package io.streamsight.console;

import com.sun.net.httpserver.HttpExchange;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.live.LiveEvent;
import io.streamsight.console.live.LiveState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/events}: the live changes as server-sent events ({@code event: summary}, {@code
 * data: {...}}), written the moment a follower applies the record. Each stream holds one thread of
 * the stream lane and a queue bounded in bytes ({@link ConsoleServing#eventStreamBufferBytes}): a
 * client that falls that far behind is disconnected at once, from the follower's thread, which also
 * unblocks a write stuck on a client that stopped reading (the browser's EventSource reconnects and
 * reloads the snapshot). A write that blocks longer than the write timeout ends the stream too. At
 * most {@link ConsoleConfig#maxEventStreams} are open at once; more get a 503.
 */
final class EventStream {
  private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final LiveState state;
  private final int max;
  private final long bufferBytes;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  EventStream(LiveState state, int max, long bufferBytes) {
    this.state = state;
    this.max = max;
    this.bufferBytes = bufferBytes;
  }

  /** One stream's queue: events and the bytes they take, under one lock. */
  private final class Queue implements LiveState.Listener {
    private final ArrayDeque<LiveEvent> events = new ArrayDeque<>();
    private final Exchange ex;
    private long bytes;
    private boolean overflow;

    Queue(Exchange ex) {
      this.ex = ex;
    }

    @Override
    public boolean offer(LiveEvent e) {
      if (closed) {
        return false;
      }
      synchronized (this) {
        if (overflow) {
          return false;
        }
        long size = e.frame().length;
        if (bytes + size > bufferBytes) {
          overflow = true;
          dropped.incrementAndGet();
        } else {
          events.add(e);
          bytes += size;
          notifyAll();
          return true;
        }
      }
      ex.abort(); // the writer never holds this lock while it writes (see take), so no deadlock
      return false;
    }

    /** Every queued event's frames, waiting up to a second; null once the stream must end. */
    synchronized byte[] take() throws InterruptedException {
      if (events.isEmpty() && !overflow) {
        wait(1000);
      }
      if (overflow) {
        return null;
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) bytes);
      for (LiveEvent e; (e = events.poll()) != null; ) {
        out.writeBytes(e.frame());
      }
      bytes = 0;
      return out.toByteArray();
    }
  }

  void handle(Exchange ex) throws IOException, InterruptedException {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      throw new HttpError(503, "too many live streams open (" + max + ")");
    }
    Queue queue = new Queue(ex);
    HttpExchange raw = ex.raw();
    try {
      raw.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      raw.sendResponseHeaders(200, 0);
      OutputStream out = raw.getResponseBody();
      state.addListener(queue);
      // retry: how soon the browser reconnects after the stream ends (overflow, restart).
      write(out, "retry: 1000\n: streamsight console\n\n".getBytes(StandardCharsets.UTF_8));
      long lastWrite = System.nanoTime();
      while (!closed) {
        byte[] frames = queue.take();
        if (frames == null) {
          break;
        }
        if (frames.length > 0) {
          write(out, frames);
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
          // finds closed connections, keeps proxies from timing out
          write(out, ": ping\n\n".getBytes(StandardCharsets.UTF_8));
          lastWrite = System.nanoTime();
        }
      }
    } finally {
      state.removeListener(queue);
      open.decrementAndGet();
      raw.close();
    }
  }

  private static void write(OutputStream out, byte[] b) throws IOException {
    out.write(b);
    out.flush(); // on the wire now, not when a buffer fills
  }

  int open() {
    return open.get();
  }

  /** Streams ended because their client fell more than the buffer behind. */
  long dropped() {
    return dropped.get();
  }

  /** Ends every stream within a second (server shutdown). */
  void close() {
    closed = true;
  }
}
