package io.streamsight.testkit.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver for webhook tests: verifies every request's Standard Webhooks signature with
 * its own HMAC code (not the connector's), records what came, and answers with the status a policy
 * chooses; or never answers at all ({@link #hanging}).
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One request as received. */
  public record Received(
      String id,
      long timestamp,
      boolean signatureValid,
      JsonNode body,
      int answered,
      long atNanos) {
    public String camera() {
      JsonNode record = body.has("alert") ? body.get("alert") : body.get("summary");
      return record.path("cameraId").asText();
    }
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final byte[] key;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile ToIntFunction<JsonNode> policy;
  private final boolean hang;

  private WebhookReceiver(String secret, ToIntFunction<JsonNode> policy, boolean hang)
      throws IOException {
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    this.policy = policy;
    this.hang = hang;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/hook", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** Answers each request with {@code policy(body)}. */
  public static WebhookReceiver answering(String secret, ToIntFunction<JsonNode> policy)
      throws IOException {
    return new WebhookReceiver(secret, policy, false);
  }

  /** Accepts connections and requests but never answers until closed. */
  public static WebhookReceiver hanging(String secret) throws IOException {
    return new WebhookReceiver(secret, b -> 200, true);
  }

  public void policy(ToIntFunction<JsonNode> policy) {
    this.policy = policy;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests answered 2xx, in arrival order. */
  public List<Received> delivered() {
    return received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String id = ex.getRequestHeaders().getFirst("webhook-id");
      String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
      String sig = ex.getRequestHeaders().getFirst("webhook-signature");
      boolean valid = verify(id, ts, body, sig);
      JsonNode json = MAPPER.readTree(body);
      if (hang) {
        received.add(new Received(id, Long.parseLong(ts), valid, json, 0, System.nanoTime()));
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      int status = valid ? policy.applyAsInt(json) : 401;
      received.add(new Received(id, Long.parseLong(ts), valid, json, status, System.nanoTime()));
      byte[] answer =
          (status == 400 ? "bad payload: rejected by the test receiver" : "ok")
              .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, answer.length);
      ex.getResponseBody().write(answer);
    }
  }

  /** The Standard Webhooks check, written independently of the connector's signer. */
  private boolean verify(String id, String ts, byte[] body, String header) {
    if (id == null || ts == null || header == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          mac.doFinal(
              (id + "." + ts + "." + new String(body, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
      for (String part : header.split(" ")) {
        if (part.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) {
          return Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ts)) < 300;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
