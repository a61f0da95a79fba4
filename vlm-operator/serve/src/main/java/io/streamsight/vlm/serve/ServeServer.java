package io.streamsight.vlm.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamsight.console.AccessToken;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.operator.inference.Completion;
import io.streamsight.vlm.operator.inference.InferenceService;
import io.streamsight.vlm.operator.inference.RetriableInferenceException;
import io.streamsight.vlm.serve.ChatRequestReader.ChatCall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code streamsight serve}: the engine behind OpenAI's Chat Completions API on the JDK's own HTTP
 * server ({@code com.sun.net.httpserver}, as the console: no Jetty to clash with anything else in
 * the distribution, and no dependency at all).
 *
 * <p>Concurrent requests go through one {@link InferenceService}, the operator's batcher (bounded
 * queue, {@code maxBatch} per model run, {@code maxWait} for company), so many clients fill one
 * engine batch. A request waiting for the model holds no HTTP thread: the handler submits and
 * returns, and the answer is written when the future completes. A full queue answers 503 with
 * {@code Retry-After} at once; an answer later than {@code requestTimeout} is a 504 (the queued run
 * still happens: the service has no cancel, which costs the model that run).
 *
 * <p>Safe by default: loopback only unless bound elsewhere, and then only with a bearer token
 * (required on every route but {@code /health}); on loopback, {@code Host} headers other than the
 * loopback names are refused (a web page cannot reach the server by DNS rebinding). Bodies, images
 * and tokens per request are bounded ({@link ServeConfig}); nothing of a request's body or headers
 * is logged.
 */
public final class ServeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);
  private static final String CAMERA = "serve"; // the batcher's shedding key; serve never sheds

  private final ServeConfig config;
  private final AccessToken token;
  private final Set<String> allowedHosts;
  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final ChatRequestReader reader;
  private final ChatResponseWriter writer;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private volatile InferenceService service;
  private volatile Throwable loadFailure;
  private volatile boolean closed;
  private final AtomicInteger maxBatchSize = new AtomicInteger();
  private final AtomicLong completions = new AtomicLong();
  private final AtomicLong batchSizeSum = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();

  private ServeServer(ServeConfig config, AccessToken token) throws IOException {
    this.config = config;
    this.token = token;
    boolean loopback = InetAddress.getByName(config.bind()).isLoopbackAddress();
    if (!loopback && token == null) {
      throw new IllegalArgumentException(
          "serving on " + config.bind() + " (beyond this machine) needs a bearer token");
    }
    ReadTimeout.apply(config.readTimeout());
    this.http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
    int port = http.getAddress().getPort();
    this.allowedHosts =
        loopback ? Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port) : null;
    this.reader = new ChatRequestReader(config);
    this.writer = new ChatResponseWriter(config.modelName(), System.currentTimeMillis() / 1000);
    // Parsing and answering only (waiting for the model holds no thread); the queue bounds the
    // connections waiting to be read. Beyond it the JDK server closes the connection.
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            config.httpThreads(),
            config.httpThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(config.inference().queueCapacity() * 2 + 64),
            r -> {
              Thread t = new Thread(r, "serve-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.createContext("/", this::handle);
    http.setExecutor(pool);
  }

  /**
   * Starts listening at once ({@code /health} says "loading") and loads the model on its own
   * thread; chat requests answer 503 until it is loaded. See {@link #awaitReady}.
   *
   * @param token the bearer token every request but {@code /health} must carry; null = none (only
   *     allowed on loopback)
   */
  public static ServeServer start(
      ServeConfig config, AccessToken token, Supplier<VisionLanguageModel> model)
      throws IOException {
    ServeServer s = new ServeServer(config, token);
    s.http.start();
    Thread loader =
        new Thread(
            () -> {
              try {
                VisionLanguageModel m = model.get();
                synchronized (s) {
                  if (s.closed) {
                    m.close();
                    return;
                  }
                  s.service = new InferenceService(m, config.inference());
                }
              } catch (Throwable e) {
                s.loadFailure = e;
                LOG.error("serve: loading the model failed", e);
              } finally {
                s.loaded.countDown();
              }
            },
            "serve-load-model");
    loader.setDaemon(true);
    loader.start();
    return s;
  }

  /**
   * Waits until the model is loaded.
   *
   * @throws IllegalStateException when loading failed (with its cause) or took longer than {@code
   *     timeout}
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the model did not load within " + timeout);
    }
    if (loadFailure != null) {
      throw new IllegalStateException("the model failed to load: " + loadFailure, loadFailure);
    }
  }

  public boolean ready() {
    return service != null;
  }

  /** e.g. {@code http://127.0.0.1:8000/v1}: the base URL an OpenAI client is given. */
  public URI baseUrl() {
    String host = config.bind();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public String modelName() {
    return config.modelName();
  }

  /** The largest engine batch any answered request ran in (1 = no batching happened). */
  public int maxBatchSize() {
    return maxBatchSize.get();
  }

  /** Requests answered with a completion. */
  public long completions() {
    return completions.get();
  }

  /** The sum over answered requests of the engine batch each ran in (mean = this / completions). */
  public long batchSizeSum() {
    return batchSizeSum.get();
  }

  /** Requests refused because the queue was full (503). */
  public long refusals() {
    return refusals.get();
  }

  private void handle(HttpExchange ex) {
    long t0 = System.nanoTime();
    try {
      var h = ex.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Cache-Control", "no-store");
      String host = ex.getRequestHeaders().getFirst("Host");
      if (allowedHosts != null && (host == null || !allowedHosts.contains(host.toLowerCase()))) {
        throw new ApiError(
            421,
            ApiError.INVALID_REQUEST,
            null,
            null,
            "this server answers only to " + allowedHosts);
      }
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/health", "/v1/health" -> {
          allow(method, "GET");
          health(ex);
        }
        case "/v1/models" -> {
          allow(method, "GET");
          authorize(ex);
          Exchanges.respond(ex, 200, writer.models());
        }
        case "/v1/chat/completions" -> {
          allow(method, "POST");
          authorize(ex);
          chat(ex, t0);
        }
        default ->
            throw new ApiError(
                404, ApiError.INVALID_REQUEST, null, "not_found", "no such route: " + path);
      }
    } catch (ApiError e) {
      Exchanges.fail(ex, e);
    } catch (IOException e) {
      LOG.debug("serve: client went away: {}", e.toString());
      ex.close();
    } catch (RuntimeException | LinkageError e) {
      // A linkage error (a mismatched jar) must still answer, or the client waits for nothing.
      LOG.warn("serve: request failed", e);
      Exchanges.fail(ex, new ApiError(500, ApiError.SERVER, null, null, "internal error: " + e));
    }
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new ApiError(
          405,
          ApiError.INVALID_REQUEST,
          null,
          "method_not_allowed",
          method + " is not allowed here; use " + allowed);
    }
  }

  private void authorize(HttpExchange ex) {
    if (token != null && !token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"streamsight serve\"");
      throw new ApiError(
          401,
          ApiError.INVALID_REQUEST,
          null,
          "invalid_api_key",
          "missing or wrong API key: send Authorization: Bearer <token> (the token file of"
              + " 'streamsight serve')");
    }
  }

  private void health(HttpExchange ex) throws IOException {
    ObjectNode h = ChatResponseWriter.JSON.createObjectNode();
    InferenceService s = service;
    h.put("status", s != null ? "ready" : loadFailure != null ? "failed" : "loading");
    h.put("model", config.modelName());
    if (s != null) {
      h.put("queueDepth", s.queueDepth());
      h.put("maxBatchSize", maxBatchSize.get());
    }
    Exchanges.respond(ex, s != null ? 200 : 503, h);
  }

  private void chat(HttpExchange ex, long t0) throws IOException {
    InferenceService s = service;
    if (s == null) {
      ex.getResponseHeaders().set("Retry-After", "5");
      throw new ApiError(
          503,
          ApiError.SERVER,
          null,
          loadFailure != null ? "model_failed" : "model_loading",
          loadFailure != null ? "the model failed to load" : "the model is still loading");
    }
    ChatCall call = reader.read(Exchanges.body(ex, config.maxBodyBytes()));
    s.submit(call.request(), CAMERA, InferenceService.NEVER_SHED)
        .orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((c, e) -> answer(ex, call, c, e, t0));
  }

  /** Writes the answer off the batcher's thread, so the next batch never waits for a socket. */
  private void answer(HttpExchange ex, ChatCall call, Completion c, Throwable e, long t0) {
    Runnable write =
        () -> {
          try {
            if (e != null) {
              throw failure(ex, e);
            }
            maxBatchSize.accumulateAndGet(c.batchSize(), Math::max);
            batchSizeSum.addAndGet(c.batchSize());
            ObjectNode body =
                writer.completion(call, c.result(), System.currentTimeMillis() / 1000);
            Exchanges.respond(ex, 200, body);
            completions.incrementAndGet();
            LOG.debug(
                "serve: completion in {} ms (batch {})",
                (System.nanoTime() - t0) / 1_000_000,
                c.batchSize());
          } catch (ApiError err) {
            Exchanges.fail(ex, err);
          } catch (IOException io) {
            LOG.debug("serve: client went away: {}", io.toString());
            ex.close();
          } catch (RuntimeException err) {
            LOG.warn("serve: answering failed", err);
            Exchanges.fail(
                ex, new ApiError(500, ApiError.SERVER, null, null, "internal error: " + err));
          }
        };
    try {
      pool.execute(write);
    } catch (RejectedExecutionException full) {
      write.run();
    }
  }

  private ApiError failure(HttpExchange ex, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof RetriableInferenceException r) {
      refusals.incrementAndGet();
      ex.getResponseHeaders().set("Retry-After", "1");
      return new ApiError(
          503, ApiError.SERVER, null, "overloaded", "server busy: " + r.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return new ApiError(
          504,
          ApiError.SERVER,
          null,
          "timeout",
          "no answer within " + config.requestTimeout().toSeconds() + " s");
    }
    LOG.warn("serve: the model failed a request", cause);
    return new ApiError(500, ApiError.SERVER, null, null, "the model failed: " + cause);
  }

  /**
   * Stops listening (answers in flight get a second to finish), waits for the model's running batch
   * and closes the model.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    http.stop(1);
    InferenceService s = service;
    if (s != null) {
      s.close();
    }
    pool.shutdownNow();
  }
}
