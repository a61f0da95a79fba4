package io.streamsight.console.http;

import io.streamsight.console.ConsoleServing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP/1.1 server. Replaces the JDK's {@code HttpServer}, which reads a request's
 * head on a pool thread with no deadline: forty connections that send a request line and stop held
 * every thread, and the page and {@code /api/health} went dark.
 *
 * <p>Here one selector thread accepts connections and reads request heads without blocking, each
 * within {@link ConsoleServing#headTimeout} (else closed) and {@link RequestHead#MAX_BYTES} (else
 * 431): a half-open connection costs a buffer, never a thread. Connections are counted per client
 * address and in all ({@link ConnectionGate}; beyond either, 503 and close). A complete head goes
 * to its route's {@link Lane}: its own threads and bounded queue, 503 when full. Handlers then read
 * bodies with a per-read timeout and write under the {@link WriteWatchdog}. Every response closes
 * its connection.
 */
public final class ConsoleHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHttpServer.class);

  /** Fixed send buffer: a client that stops reading fills it quickly and meets the watchdog. */
  private static final int SEND_BUFFER = 128 * 1024;

  private final ConsoleServing limits;
  private volatile Router router;
  private final ServerSocketChannel listener;
  private final Selector selector;
  private final ConnectionGate gate;
  private final WriteWatchdog watchdog;
  private final Map<Lane, ThreadPoolExecutor> lanes = new EnumMap<>(Lane.class);
  private final Thread loop;
  private final AtomicLong headTimeouts = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean closed;

  /** A connection whose head is still arriving. */
  private static final class Pending {
    final SocketChannel channel;
    final InetAddress client;
    final long deadline;
    final ByteBuffer buf = ByteBuffer.allocate(RequestHead.MAX_BYTES);
    final Runnable release;

    Pending(SocketChannel channel, InetAddress client, long deadline, Runnable release) {
      this.channel = channel;
      this.client = client;
      this.deadline = deadline;
      this.release = release;
    }
  }

  /**
   * Binds {@code address}; connections wait in the backlog until {@link #start(Router)} (the
   * router's Host allow-list needs the bound port).
   *
   * @param maxStreams live streams at once (the {@link Lane#STREAM} threads)
   */
  public static ConsoleHttpServer bind(
      InetSocketAddress address, ConsoleServing limits, int maxStreams) throws IOException {
    return new ConsoleHttpServer(address, limits, maxStreams);
  }

  /** Starts serving {@code r}. */
  public void start(Router r) {
    this.router = r;
    loop.start();
  }

  private ConsoleHttpServer(InetSocketAddress address, ConsoleServing limits, int maxStreams)
      throws IOException {
    this.limits = limits;
    this.gate = new ConnectionGate(limits.maxConnections(), limits.maxConnectionsPerClient());
    this.watchdog = new WriteWatchdog(limits.writeTimeout());
    lanes.put(Lane.CONTROL, pool("control", 2, new ArrayBlockingQueue<>(16)));
    lanes.put(Lane.ORDINARY, pool("http", limits.threads(), queue(limits.queue())));
    lanes.put(Lane.HEAVY, pool("heavy", limits.heavyThreads(), queue(limits.heavyQueue())));
    lanes.put(Lane.STREAM, pool("stream", maxStreams, new SynchronousQueue<>()));
    this.selector = Selector.open();
    this.listener = ServerSocketChannel.open();
    try {
      listener.bind(address, 128);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
    this.loop = new Thread(this::run, "console-http-accept");
    loop.setDaemon(true);
  }

  private static BlockingQueue<Runnable> queue(int size) {
    return size == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(size);
  }

  private static ThreadPoolExecutor pool(String name, int threads, BlockingQueue<Runnable> q) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            q,
            r -> {
              Thread t = new Thread(r, "console-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    p.allowCoreThreadTimeOut(true); // an idle console holds no threads
    return p;
  }

  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("server socket closed", e);
    }
  }

  private void run() {
    while (!closed) {
      try {
        selector.select(250);
        List<Pending> complete = new ArrayList<>();
        for (SelectionKey k : selector.selectedKeys()) {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            acceptAll();
          } else if (k.isReadable() && read((Pending) k.attachment())) {
            k.cancel();
            complete.add((Pending) k.attachment());
          }
        }
        selector.selectedKeys().clear();
        expireHeads();
        if (!complete.isEmpty()) {
          selector.selectNow(); // deregisters the cancelled keys, so the channels may block
          complete.forEach(this::dispatch);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("console: HTTP accept loop: {}", e.toString());
        }
      }
    }
  }

  private void acceptAll() throws IOException {
    for (SocketChannel ch; (ch = listener.accept()) != null; ) {
      InetAddress client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
      String why = gate.admit(client);
      if (why != null) {
        refused.incrementAndGet();
        ch.configureBlocking(false);
        refuse(ch, 503, why + "; try again later");
        continue;
      }
      AtomicBoolean released = new AtomicBoolean();
      Runnable release =
          () -> {
            if (released.compareAndSet(false, true)) {
              gate.release(client);
            }
          };
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        long deadline = System.nanoTime() + limits.headTimeout().toNanos();
        ch.register(selector, SelectionKey.OP_READ, new Pending(ch, client, deadline, release));
      } catch (IOException e) {
        ch.close();
        release.run();
      }
    }
  }

  /** Reads what arrived; true once the head is complete (or the connection is done with). */
  private boolean read(Pending p) {
    int n;
    try {
      n = p.channel.read(p.buf);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      drop(p);
      return false;
    }
    if (headEnd(p.buf) >= 0) {
      return true;
    }
    if (!p.buf.hasRemaining()) {
      refuse(p.channel, 431, "the request head is larger than " + RequestHead.MAX_BYTES + " bytes");
      p.release.run();
      return false;
    }
    return false;
  }

  /** Index of the blank line ending the head, or -1. */
  private static int headEnd(ByteBuffer buf) {
    byte[] a = buf.array();
    for (int i = 0; i + 3 < buf.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void expireHeads() {
    long now = System.nanoTime();
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Pending p && now - p.deadline > 0) {
        k.cancel();
        headTimeouts.incrementAndGet();
        drop(p);
      }
    }
  }

  private void dispatch(Pending p) {
    int end = headEnd(p.buf);
    RequestHead head;
    try {
      head = RequestHead.parse(p.buf.array(), end);
      head.contentLength(); // refuses chunked or malformed lengths before a thread is taken
    } catch (HttpError e) {
      refuse(p.channel, e.status(), e.getMessage());
      p.release.run();
      return;
    }
    byte[] leftover = java.util.Arrays.copyOfRange(p.buf.array(), end + 4, p.buf.position());
    Lane lane = router.lane(head.method(), head.uri().getRawPath());
    try {
      p.channel.configureBlocking(true);
    } catch (IOException e) {
      drop(p);
      return;
    }
    SocketExchange ex =
        new SocketExchange(
            p.channel, head, leftover, (int) limits.readTimeout().toMillis(), watchdog, p.release);
    try {
      lanes.get(lane).execute(() -> serve(ex));
    } catch (RejectedExecutionException e) {
      refused.incrementAndGet();
      reply(ex, 503, "the console is busy (" + lane.name().toLowerCase() + " requests); try again");
    }
  }

  private void serve(SocketExchange ex) {
    try {
      router.handle(ex);
    } catch (IOException | RuntimeException e) {
      LOG.debug("console: request ended: {}", e.toString());
    } finally {
      ex.close();
    }
  }

  /** A short error answer on the selector thread (blocking socket, small write: no wait). */
  private static void reply(SocketExchange ex, int status, String message) {
    try {
      byte[] body = errorJson(message);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    } catch (IOException ignored) {
      // the client is gone
    } finally {
      ex.close();
    }
  }

  /** Answers and closes a connection that never reached a handler (non-blocking write). */
  private static void refuse(SocketChannel ch, int status, String message) {
    byte[] body = errorJson(message);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + SocketExchange.reason(status)
            + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try (ch) {
      ByteBuffer b = ByteBuffer.allocate(head.length() + body.length);
      b.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
      ch.write(b); // fits a fresh socket's buffer; if not, the client gets a cut answer
    } catch (IOException ignored) {
      // the client is gone
    }
  }

  private static byte[] errorJson(String message) {
    return Exchange.JSON
        .createObjectNode()
        .put("error", message)
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void drop(Pending p) {
    try {
      p.channel.close();
    } catch (IOException ignored) {
      // closed is closed
    }
    p.release.run();
  }

  /** What the server has refused and closed, for {@code /api/health}. */
  public Map<String, Long> counters() {
    return Map.of(
        "connectionsOpen", (long) gate.open(),
        "connectionsRefused", refused.get(),
        "headTimeouts", headTimeouts.get(),
        "writeTimeouts", watchdog.timedOut());
  }

  /** Applies {@code f} to each lane and its pool (for health: active threads, queued). */
  public <T> Map<Lane, T> lanes(BiFunction<Lane, ThreadPoolExecutor, T> f) {
    Map<Lane, T> out = new EnumMap<>(Lane.class);
    lanes.forEach((l, p) -> out.put(l, f.apply(l, p)));
    return out;
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      if (loop.isAlive()) {
        loop.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Pending p) {
        drop(p);
      }
    }
    try {
      listener.close();
      selector.close();
    } catch (IOException ignored) {
      // shutting down
    }
    lanes.values().forEach(ThreadPoolExecutor::shutdownNow);
    for (ThreadPoolExecutor p : lanes.values()) {
      try {
        p.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    watchdog.close();
  }
}
