package io.streamsight.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.Router;
import io.streamsight.console.live.KeyframeStore;
import io.streamsight.console.live.LiveState;
import io.streamsight.console.live.TopicFollower;
import io.streamsight.console.live.TopicFollower.Follow;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code streamsight console}: the web page and JSON API over the output topics.
 *
 * <p>The HTTP server is the JDK's own ({@code com.sun.net.httpserver}), not Javalin/Jetty: the
 * distribution also carries the Kafka Connect worker (connect-runtime 4.1.1, Jetty 12.0.22), and
 * Javalin 7.2.3 needs Jetty 12.1.12. Both on the one classpath of the distribution would leave
 * Maven mixing 12.0 and 12.1 jars of the same Jetty modules; the JDK server has no dependencies, so
 * the console and a Connect worker can share any JVM. It costs one thread per open live stream
 * (bounded by {@link ConsoleConfig#maxEventStreams}), which is fine for a console's handful of
 * viewers.
 */
public final class ConsoleServer implements AutoCloseable {
  /** Recent records read back per partition at start, so the page is not empty. */
  private static final long RECENT_BACKLOG = 200;

  private static final long KEYFRAME_BACKLOG = 20;

  private final ConsoleConfig config;
  private final HttpServer http;
  private final ExecutorService pool;
  private final Router router;
  private final LiveState state;
  private final KeyframeStore keyframes;
  private final TopicFollower records;
  private final TopicFollower images;
  private final ConsoleWrites writes;
  private final EventStream events;
  private final SearchBackend search;
  private final SubscriptionsBackend subscriptions;

  private ConsoleServer(
      ConsoleConfig config,
      AccessToken token,
      SearchBackend search,
      SubscriptionsBackend subscriptions)
      throws IOException {
    this.config = config;
    this.search = search;
    this.subscriptions = subscriptions;
    this.state = new LiveState(config);
    this.keyframes = new KeyframeStore(config.bootstrap(), config.keyframeCacheBytes());
    this.records =
        new TopicFollower(
            "records",
            config.bootstrap(),
            List.of(
                new Follow(Topics.STATUS, Long.MAX_VALUE),
                new Follow(Topics.RULES, Long.MAX_VALUE),
                new Follow(Topics.SUMMARIES, RECENT_BACKLOG),
                new Follow(Topics.ALERTS, RECENT_BACKLOG),
                new Follow(Topics.ANSWERS, RECENT_BACKLOG)),
            (topic, partition, offset, key, value, raw) ->
                state.apply(topic, partition, offset, key, value));
    // Keyframes on their own consumer: their JPEG-sized fetches must not delay the small records.
    this.images =
        new TopicFollower(
            "keyframes",
            config.bootstrap(),
            List.of(new Follow(Topics.KEYFRAMES, KEYFRAME_BACKLOG)),
            (topic, partition, offset, key, value, raw) -> {
              if (value instanceof Keyframe k) {
                keyframes.put(partition, offset, k);
                state.apply(topic, partition, offset, key, value);
              }
            });
    this.writes = new ConsoleWrites(config.bootstrap(), state);
    this.events = new EventStream(state, config.maxEventStreams());
    this.http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
    this.router = new Router(token, allowedHosts(config.bind(), http.getAddress().getPort()));
    new ConsoleReads(state, keyframes, search, subscriptions).register(router);
    writes.register(router);
    new FeedbackWrites(writes, state).register(router);
    router.get("/api/events", events::handle);
    router.get("/api/health", ex -> ex.json(200, health()));
    new StaticAssets().register(router);
    http.createContext("/", router);
    // Live streams each hold a thread; the rest of the pool stays free for ordinary requests.
    this.pool = Executors.newFixedThreadPool(config.maxEventStreams() + 8, daemon("http"));
    http.setExecutor(pool);
  }

  /** Starts following the topics and serving; returns once the port is bound. */
  public static ConsoleServer start(
      ConsoleConfig config,
      AccessToken token,
      SearchBackend search,
      SubscriptionsBackend subscriptions)
      throws IOException {
    ConsoleServer s = new ConsoleServer(config, token, search, subscriptions);
    daemon("follow-records").newThread(s.records).start();
    daemon("follow-keyframes").newThread(s.images).start();
    s.http.start();
    return s;
  }

  /**
   * The Host headers a loopback console answers to; null (any) when opened with --bind. A web page
   * on another site could otherwise point its own host name at 127.0.0.1 (DNS rebinding) and read
   * the console as a same-origin page.
   */
  static Set<String> allowedHosts(String bind, int port) throws IOException {
    if (!InetAddress.getByName(bind).isLoopbackAddress()) {
      return null;
    }
    return Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
  }

  private ObjectNode health() {
    ObjectNode h = Exchange.object();
    h.put("ready", records.ready() && images.ready());
    h.put("cameras", state.cameraCount());
    h.put("camerasNotShown", state.camerasRefused());
    h.put("undecodableRecords", records.undecodable() + images.undecodable());
    h.put("eventStreams", events.open());
    h.put("keyframeCacheBytes", keyframes.cachedBytes());
    h.put("search", search.configured());
    h.put("subscriptions", subscriptions.configured());
    return h;
  }

  /** Where the page is, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    String host = config.bind();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + http.getAddress().getPort() + "/");
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** Every route the server answers (for the OpenAPI document's test). */
  public List<Router.Route> routes() {
    return router.routes();
  }

  /** Whether both followers are positioned on their topics. */
  public boolean ready() {
    return records.ready() && images.ready();
  }

  @Override
  public void close() {
    events.close();
    records.close();
    images.close();
    http.stop(1);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writes.close();
    keyframes.close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "console-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
