package io.streamsight.console;

import com.sun.net.httpserver.HttpExchange;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.live.LiveEvent;
import io.streamsight.console.live.LiveState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: the live changes as server-sent events ({@code event: summary}, {@code
 * data: {...}}), written the moment a follower applies the record. Each stream holds one server
 * thread and a bounded queue: a client too slow to keep up is disconnected (the browser's
 * EventSource reconnects and reloads the snapshot) rather than queued for without bound. At most
 * {@link ConsoleConfig#maxEventStreams} are open at once; more get a 503.
 */
final class EventStream {
  private static final int QUEUE = 1024;
  private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final LiveState state;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean closed;

  EventStream(LiveState state, int max) {
    this.state = state;
    this.max = max;
  }

  void handle(Exchange ex) throws IOException, InterruptedException {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      throw new HttpError(503, "too many live streams open (" + max + ")");
    }
    BlockingQueue<LiveEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    boolean[] overflow = {false};
    LiveState.Listener listener =
        e -> {
          if (closed) {
            return false;
          }
          if (!queue.offer(e)) {
            overflow[0] = true;
            return false;
          }
          return true;
        };
    HttpExchange raw = ex.raw();
    try {
      raw.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      raw.sendResponseHeaders(200, 0);
      OutputStream out = raw.getResponseBody();
      state.addListener(listener);
      // retry: how soon the browser reconnects after the stream ends (overflow, restart).
      write(out, "retry: 1000\n: streamsight console\n\n");
      long lastWrite = System.nanoTime();
      while (!closed) {
        LiveEvent e = queue.poll(1, TimeUnit.SECONDS);
        if (e == null) {
          if (overflow[0]) {
            break;
          }
          if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
            write(out, ": ping\n\n"); // finds closed connections, keeps proxies from timing out
            lastWrite = System.nanoTime();
          }
          continue;
        }
        StringBuilder sb = new StringBuilder();
        for (; e != null; e = queue.poll()) {
          sb.append("event: ")
              .append(e.type())
              .append("\ndata: ")
              .append(Exchange.toJson(e.data()))
              .append("\n\n");
        }
        write(out, sb.toString());
        lastWrite = System.nanoTime();
      }
    } finally {
      state.removeListener(listener);
      open.decrementAndGet();
      raw.close();
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush(); // a chunk on the wire now, not when a buffer fills
  }

  int open() {
    return open.get();
  }

  /** Ends every stream within a second (server shutdown). */
  void close() {
    closed = true;
  }
}
