package io.streamsight.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.console.http.ConsoleHttpServer;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HostAllowList;
import io.streamsight.console.http.Lane;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code streamsight console}: the web page and JSON API over the output topics.
 *
 * <p>The HTTP server is our own small one ({@link ConsoleHttpServer}, behind the JDK's {@code
 * com.sun.net.httpserver} exchange API), not Javalin/Jetty: the distribution also carries the Kafka
 * Connect worker (connect-runtime 4.1.1, Jetty 12.0.22), and Javalin 7.2.3 needs Jetty 12.1.12;
 * both on one classpath would mix 12.0 and 12.1 jars. The JDK's own server has no deadline on
 * reading a request head, so a few dozen half-open connections starved it; ours reads heads on one
 * selector thread with a deadline, limits connections per client, and serves routes on separate
 * bounded lanes ({@link Lane}) so {@code /api/health} answers under load. A live stream holds one
 * thread (bounded by {@link ConsoleConfig#maxEventStreams}).
 *
 * <p>Routes are registered on the {@link Router} in {@link #routes(Router)}; a new endpoint (a
 * metrics page, say) is one more line there, with the lane it should run on.
 */
public final class ConsoleServer implements AutoCloseable {
  /** Recent records read back per partition at start, so the page is not empty. */
  private static final long RECENT_BACKLOG = 200;

  private static final long KEYFRAME_BACKLOG = 20;

  private final ConsoleConfig config;
  private final ConsoleHttpServer http;
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
    this.events =
        new EventStream(state, config.maxEventStreams(), config.serving().eventStreamBufferBytes());
    this.http =
        ConsoleHttpServer.bind(
            new InetSocketAddress(config.bind(), config.port()),
            config.serving(),
            config.maxEventStreams());
    try {
      this.router =
          new Router(token, HostAllowList.of(config.bind(), port(), config.serving().hostNames()));
      routes(router);
    } catch (IOException | RuntimeException e) {
      http.close(); // the port is bound: free it
      throw e;
    }
  }

  /** Every route of the console, with the lane that serves it. */
  private void routes(Router r) {
    new ConsoleReads(state, keyframes, search, subscriptions).register(r);
    writes.register(r);
    new FeedbackWrites(writes, state).register(r);
    r.get("/api/events", Lane.STREAM, events::handle);
    r.get("/api/health", Lane.CONTROL, this::health);
    new StaticAssets().register(r);
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
    s.http.start(s.router);
    return s;
  }

  /**
   * {@code GET /api/health}: 200 while following; 503 once a follower has died (the page would be
   * frozen), naming it, so a readiness probe takes the console out and a liveness probe restarts
   * it.
   */
  private void health(Exchange ex) throws IOException {
    ObjectNode h = Exchange.object();
    h.put("ready", ready());
    ObjectNode f = h.putObject("followers");
    f.put("records", followerState(records));
    f.put("keyframes", followerState(images));
    h.put("cameras", state.cameraCount());
    h.put("camerasNotShown", state.camerasRefused());
    h.put("invalidRecords", state.invalidRecords());
    h.put("recordsTooLarge", state.recordsTooLarge());
    h.put("liveStateBytes", state.retainedBytes());
    h.put("recordsEvictedForBytes", state.evictedForBytes());
    h.put("undecodableRecords", records.undecodable() + images.undecodable());
    h.put("eventStreams", events.open());
    h.put("eventStreamsDropped", events.dropped());
    http.counters().forEach(h::put);
    ObjectNode lanes = h.putObject("lanes");
    http.lanes(
        (lane, pool) ->
            lanes
                .putObject(lane.name().toLowerCase(java.util.Locale.ROOT))
                .put("active", pool.getActiveCount())
                .put("queued", pool.getQueue().size()));
    h.put("keyframeCacheBytes", keyframes.cachedBytes());
    h.put("search", search.configured());
    h.put("subscriptions", subscriptions.configured());
    boolean dead = records.failure() != null || images.failure() != null;
    ex.json(dead ? 503 : 200, h);
  }

  private static String followerState(TopicFollower f) {
    if (f.failure() != null) {
      return "stopped: " + f.failure();
    }
    return f.ready() ? "following" : "starting";
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
    return URI.create("http://" + host + ":" + port() + "/");
  }

  public int port() {
    return http.address().getPort();
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
    http.close();
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
