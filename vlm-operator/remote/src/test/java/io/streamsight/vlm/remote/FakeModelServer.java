package io.streamsight.vlm.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for a cloud model API at the far edge: {@code POST /v1/chat/completions} and {@code
 * GET /v1/models} on loopback, answering from a script (one reply per request, then a default),
 * recording what it was sent, and able to misbehave (status codes with headers, a body that stalls,
 * malformed or oversized JSON).
 */
final class FakeModelServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A request as the server saw it. */
  record Hit(String method, String path, String authorization, JsonNode body, long atNanos) {}

  /** How to answer one chat completion request. */
  @FunctionalInterface
  interface Reply {
    void send(HttpExchange exchange, JsonNode request) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  final List<Hit> hits = new CopyOnWriteArrayList<>();
  volatile Reply fallback = echo();
  volatile List<String> models = List.of("test-vlm");

  /** Simulated server latency per chat request (0 = answer at once). */
  volatile long latencyMillis;

  static {
    // Without TCP_NODELAY every small response waits ~40 ms for a delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  FakeModelServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/v1/models", this::models);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Answers the next requests with these replies, in order, then with {@link #fallback}. */
  FakeModelServer then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  List<Hit> chatHits() {
    return hits.stream().filter(h -> h.path().endsWith("/chat/completions")).toList();
  }

  private void chat(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (ex) {
      JsonNode body = JSON.readTree(ex.getRequestBody());
      hits.add(
          new Hit(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Authorization"),
              body,
              System.nanoTime()));
      if (latencyMillis > 0) {
        // simulated server latency, so requests overlap
        closing.await(latencyMillis, TimeUnit.MILLISECONDS);
      }
      Reply r = script.poll();
      (r == null ? fallback : r).send(ex, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void models(HttpExchange ex) throws IOException {
    try (ex) {
      hits.add(
          new Hit(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Authorization"),
              null,
              System.nanoTime()));
      ObjectNode list = JSON.createObjectNode().put("object", "list");
      ArrayNode data = list.putArray("data");
      for (String m : models) {
        data.addObject().put("id", m).put("object", "model").put("created", 0).put("owned_by", "t");
      }
      send(ex, 200, list.toString(), Map.of());
    }
  }

  static void send(HttpExchange ex, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- replies ----

  /** A completion whose content is computed from the request. */
  static Reply answer(Function<JsonNode, String> completionJson) {
    return (ex, req) -> send(ex, 200, completionJson.apply(req), Map.of());
  }

  /** Echoes the request's text part back as the content. */
  static Reply echo() {
    return answer(req -> completion(lastText(req), "stop", 10, 3, null));
  }

  static Reply json(int status, String body, Map<String, String> headers) {
    return (ex, req) -> send(ex, status, body, headers);
  }

  static Reply status(int status, Map<String, String> headers) {
    return json(
        status, "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"t\"}}", headers);
  }

  /** Sends the headers and the first bytes of a body, then nothing until the server closes. */
  Reply stalledBody() {
    return (ex, req) -> {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 1000);
      OutputStream out = ex.getResponseBody();
      out.write("{\"id\":\"x\",\"choices\":[".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        closing.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  static String lastText(JsonNode req) {
    String text = "";
    for (JsonNode part : req.path("messages").path(0).path("content")) {
      if ("text".equals(part.path("type").asText())) {
        text = part.path("text").asText();
      }
    }
    return text;
  }

  /**
   * A chat completion. {@code topLogprobs}: alternating token, logprob pairs for the first token
   * ({@code null}: no logprobs at all).
   */
  static String completion(
      String content, String finish, int promptTokens, int completionTokens, Object[] topLogprobs) {
    ObjectNode c =
        JSON.createObjectNode()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion")
            .put("created", 1)
            .put("model", "test-vlm");
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", finish);
    choice.putObject("message").put("role", "assistant").put("content", content);
    if (topLogprobs == null) {
      choice.putNull("logprobs");
    } else {
      ObjectNode first = choice.putObject("logprobs").putArray("content").addObject();
      first.put("token", (String) topLogprobs[0]).put("logprob", (Double) topLogprobs[1]);
      first.putNull("bytes");
      ArrayNode top = first.putArray("top_logprobs");
      for (int i = 0; i < topLogprobs.length; i += 2) {
        top.addObject()
            .put("token", (String) topLogprobs[i])
            .put("logprob", (Double) topLogprobs[i + 1])
            .putNull("bytes");
      }
    }
    c.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return c.toString();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
