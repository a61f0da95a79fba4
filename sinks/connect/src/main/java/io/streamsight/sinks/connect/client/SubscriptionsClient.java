package io.streamsight.sinks.connect.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.sinks.connect.mqtt.MqttConfig;
import io.streamsight.sinks.connect.mqtt.MqttSinkConnector;
import io.streamsight.sinks.connect.payload.FilterConfig;
import io.streamsight.sinks.connect.webhook.UrlGuard;
import io.streamsight.sinks.connect.webhook.WebhookConfig;
import io.streamsight.sinks.connect.webhook.WebhookSecret;
import io.streamsight.sinks.connect.webhook.WebhookSinkConnector;
import io.streamsight.sinks.connect.worker.RestCredential;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds, lists, inspects and removes subscriptions on a Connect worker through its REST API (the
 * {@code subscriptions} commands and the console use it). Secrets are written to a file in the
 * worker's secrets directory (mode 600) and the connector config only names them ({@code
 * ${file:<path>:<key>}}), so Connect's config topic and REST answers never hold them.
 */
public final class SubscriptionsClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String WEBHOOK = WebhookSinkConnector.class.getName();
  private static final String MQTT = MqttSinkConnector.class.getName();

  private final URI connect;
  private final Path secretsDir;
  private final HttpClient http;

  /**
   * @param connect the worker's REST API, e.g. {@code http://127.0.0.1:8083}
   * @param secretsDir the worker's secrets directory (same machine, or a shared mount): where
   *     secrets are written and the worker's REST credential is read; null for none
   */
  public SubscriptionsClient(URI connect, Path secretsDir) {
    String s = connect.toString();
    this.connect = URI.create(s.endsWith("/") ? s : s + "/");
    this.secretsDir = secretsDir;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Creates (or replaces) a subscription.
   *
   * @param secret the webhook secret ({@code whsec_...}) or the MQTT password (may be empty)
   * @throws SubscriptionException refused (bad URL, SSRF guard) or the worker said no
   */
  public void add(Subscription s, String secret) throws SubscriptionException {
    Map<String, String> config = connectorConfig(s);
    if (s.kind() == Subscription.Kind.WEBHOOK) {
      try {
        URI url = UrlGuard.parse(s.target());
        UrlGuard.check(url, s.allowPrivate());
      } catch (UrlGuard.RefusedUrlException e) {
        throw new SubscriptionException(e.getMessage(), true);
      } catch (UnknownHostException e) {
        throw new SubscriptionException("webhook host does not resolve: " + e.getMessage(), true);
      }
      try {
        WebhookSecret.parse(secret);
      } catch (IllegalArgumentException e) {
        throw new SubscriptionException(e.getMessage(), true);
      }
      config.put(WebhookConfig.SECRET, secretRef(s.id(), WebhookConfig.SECRET, secret));
    } else if (secret != null && !secret.isEmpty()) {
      config.put(MqttConfig.PASSWORD, secretRef(s.id(), MqttConfig.PASSWORD, secret));
    }
    JsonNode answer = call("PUT", "connectors/" + s.id() + "/config", config);
    if (answer.has("error_code")) {
      throw new SubscriptionException(
          "Connect refused subscription " + s.id() + ": " + answer.path("message").asText(), true);
    }
  }

  /** The connector config of {@code s}, without the secret. */
  public static Map<String, String> connectorConfig(Subscription s) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", s.kind() == Subscription.Kind.WEBHOOK ? WEBHOOK : MQTT);
    c.put("tasks.max", "1");
    c.put("topics", String.join(",", s.topics()));
    c.put(FilterConfig.CAMERA, s.cameraGlob());
    c.put(FilterConfig.MIN_SEVERITY, s.minSeverity().name());
    // Records that can never be delivered go to this subscription's own dead-letter topic, with
    // the reason in __connect.errors.* headers; nothing is dropped and nothing blocks the rest.
    c.put("errors.tolerance", "all");
    c.put("errors.log.enable", "true");
    c.put("errors.deadletterqueue.topic.name", Subscription.deadLetterTopic(s.id()));
    c.put("errors.deadletterqueue.topic.replication.factor", "-1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    if (s.kind() == Subscription.Kind.WEBHOOK) {
      c.put(WebhookConfig.URL, s.target());
      c.put(WebhookConfig.ALLOW_PRIVATE, Boolean.toString(s.allowPrivate()));
    } else {
      c.put(MqttConfig.SERVER_URI, s.target());
      c.put(MqttConfig.USERNAME, s.mqttUser());
      c.put(MqttConfig.SNAPSHOTS_BOOTSTRAP, "${streamsight:bootstrap.servers}");
    }
    c.putAll(s.extra());
    return c;
  }

  /** Every subscription on the worker (connectors of our classes). */
  public List<SubscriptionView> list() throws SubscriptionException {
    JsonNode all = call("GET", "connectors?expand=info&expand=status", null);
    List<SubscriptionView> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode config = e.getValue().path("info").path("config");
      String cls = config.path("connector.class").asText();
      if (cls.equals(WEBHOOK) || cls.equals(MQTT)) {
        out.add(view(e.getKey(), config, e.getValue().path("status"), null));
      }
    }
    out.sort(java.util.Comparator.comparing(SubscriptionView::id));
    return out;
  }

  /** One subscription with its delivery counters, or empty when there is none by that id. */
  public Optional<SubscriptionView> status(String id) throws SubscriptionException {
    checkId(id);
    JsonNode config = call("GET", "connectors/" + id + "/config", null);
    if (config.path("error_code").asInt() == 404) {
      return Optional.empty();
    }
    String cls = config.path("connector.class").asText();
    if (!cls.equals(WEBHOOK) && !cls.equals(MQTT)) {
      return Optional.empty();
    }
    JsonNode status = call("GET", "connectors/" + id + "/status", null);
    JsonNode stats = call("GET", "streamsight/subscriptions/" + id + "/stats", null);
    SubscriptionView.Stats s =
        stats.has("error_code")
            ? null
            : new SubscriptionView.Stats(
                stats.path("delivered").asLong(),
                stats.path("filtered").asLong(),
                stats.path("retrying").asLong(),
                stats.path("deadLettered").asLong(),
                stats.hasNonNull("lastError") ? stats.get("lastError").asText() : null,
                stats.hasNonNull("lastErrorAt") ? stats.get("lastErrorAt").asText() : null);
    return Optional.of(view(id, config, status, s));
  }

  /** Removes a subscription and its secret file; false if there was none. */
  public boolean remove(String id) throws SubscriptionException {
    checkId(id);
    JsonNode answer = call("DELETE", "connectors/" + id, null);
    try {
      Files.deleteIfExists(secretFile(id));
    } catch (IOException e) {
      throw new SubscriptionException("Cannot delete the secret file of " + id, e);
    }
    return !answer.has("error_code");
  }

  private static SubscriptionView view(
      String id, JsonNode config, JsonNode status, SubscriptionView.Stats stats) {
    boolean webhook = config.path("connector.class").asText().equals(WEBHOOK);
    String target;
    if (webhook) {
      try {
        target = UrlGuard.origin(URI.create(config.path(WebhookConfig.URL).asText()));
      } catch (IllegalArgumentException e) {
        target = "(invalid URL)";
      }
    } else {
      target = config.path(MqttConfig.SERVER_URI).asText();
    }
    StringBuilder tasks = new StringBuilder();
    String taskError = null;
    for (JsonNode t : status.path("tasks")) {
      tasks.append(tasks.length() == 0 ? "" : ",").append(t.path("state").asText());
      if (t.hasNonNull("trace") && taskError == null) {
        taskError = t.get("trace").asText().lines().findFirst().orElse("");
      }
    }
    return new SubscriptionView(
        id,
        webhook ? Subscription.Kind.WEBHOOK : Subscription.Kind.MQTT,
        target,
        config.path(FilterConfig.CAMERA).asText("*"),
        config.path(FilterConfig.MIN_SEVERITY).asText("LOW"),
        config.path("topics").asText(),
        config.path(WebhookConfig.ALLOW_PRIVATE).asBoolean(false),
        config.path("errors.deadletterqueue.topic.name").asText(""),
        status.path("connector").path("state").asText("UNKNOWN"),
        tasks.toString(),
        stats,
        taskError);
  }

  private String secretRef(String id, String key, String secret) throws SubscriptionException {
    Path file = secretFile(id);
    try {
      Files.createDirectories(secretsDir);
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the directory is the protection left
      }
      // A properties file: escape what java.util.Properties would read differently.
      String value = secret.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
      Files.writeString(
          file,
          key + "=" + value + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SubscriptionException(
          "Cannot write the secret file " + file + ": " + e.getMessage(), e);
    }
    return "${file:" + file.toAbsolutePath() + ":" + key + "}";
  }

  private Path secretFile(String id) {
    return secretsDir.resolve(id + ".properties");
  }

  private static void checkId(String id) throws SubscriptionException {
    String p = Subscription.idProblem(id);
    if (p != null) {
      throw new SubscriptionException(p, true);
    }
  }

  private JsonNode call(String method, String path, Object body) throws SubscriptionException {
    URI uri = connect.resolve(path);
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Accept", "application/json");
      // The worker's REST credential lives in its secrets directory (read per call: a worker
      // started after this client still works).
      RestCredential.read(secretsDir).ifPresent(c -> b.header("Authorization", c.authorization()));
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.body().length == 0) {
        return MAPPER.createObjectNode();
      }
      JsonNode node = MAPPER.readTree(r.body());
      if (r.statusCode() == 401 || r.statusCode() == 421) {
        throw new SubscriptionException(
            "Connect worker "
                + connect
                + " refused "
                + method
                + " /"
                + path
                + " (HTTP "
                + r.statusCode()
                + "): "
                + node.path("message").asText()
                + (secretsDir == null
                    ? ""
                    : "; looked for its credential in " + RestCredential.file(secretsDir)),
            false);
      }
      if (r.statusCode() >= 500) {
        throw new SubscriptionException(
            "Connect worker "
                + connect
                + " failed "
                + method
                + " /"
                + path
                + ": HTTP "
                + r.statusCode()
                + " "
                + node.path("message").asText(),
            false);
      }
      return node;
    } catch (IOException e) {
      throw new SubscriptionException(
          "Cannot reach the Connect worker at " + connect + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubscriptionException("Interrupted talking to " + connect, e);
    }
  }
}
