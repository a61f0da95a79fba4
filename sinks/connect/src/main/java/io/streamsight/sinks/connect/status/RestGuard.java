package io.streamsight.sinks.connect.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.sinks.connect.mqtt.MqttConfig;
import io.streamsight.sinks.connect.webhook.WebhookConfig;
import io.streamsight.sinks.connect.worker.RestCredential;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards the Connect worker's REST API, in front of every resource:
 *
 * <ol>
 *   <li>{@code Host} must be one of the worker's own names (loopback names, the bind address; on a
 *       wildcard bind also this machine's names and addresses), else 421: a DNS-rebinding page
 *       reaches the worker under its own host name and is refused before anything runs.
 *   <li>Every request needs {@code Authorization: Bearer <token>} ({@link RestCredential}), else
 *       401; except {@code GET /} (version, for health checks) and Connect's internal
 *       worker-to-worker endpoints, which Connect signs itself (as its basic-auth extension does).
 *   <li>A connector config written through the API ({@code POST /connectors}, {@code PUT|PATCH
 *       /connectors/{name}/config}, {@code PUT /connector-plugins/{type}/config/validate}) may use
 *       a config provider ({@code ${provider:path:key}}) only in a secret key ({@value
 *       WebhookConfig#SECRET}, {@value MqttConfig#PASSWORD}); elsewhere it is refused with 400
 *       naming the key, because Connect resolves placeholders in every key and a URL or topic name
 *       would carry the resolved secret out. {@code ${streamsight:...}} (facts about the worker, no
 *       secrets) is allowed anywhere. This cannot be a {@code ConfigDef} validator: Connect
 *       resolves providers before it validates.
 * </ol>
 */
@PreMatching
public final class RestGuard implements ContainerRequestFilter {
  /** Longest connector-config body read; Connect's own configs are a few KB. */
  static final int MAX_BODY_BYTES = 1 << 20;

  static final Set<String> SECRET_KEYS = Set.of(WebhookConfig.SECRET, MqttConfig.PASSWORD);

  /** Connect's placeholder grammar ({@code ConfigTransformer}): provider, optional path, key. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*?):(?:[^}]*?:)?[^}]*?}");

  private static final Pattern INTERNAL = Pattern.compile("connectors/[^/]+/(tasks|fence)/?");

  private static final Pattern CONFIG_WRITE =
      Pattern.compile(
          "connectors/?|connectors/[^/]+/config/?|connector-plugins/[^/]+/config/validate/?");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Supplier<RestCredential> credential;
  private final Set<String> allowedHosts;

  /**
   * @param credential the current credential, or a supplier of null when none is configured (then
   *     every guarded request is refused)
   * @param allowedHosts lower-case host names and address literals (IPv6 without brackets)
   */
  RestGuard(Supplier<RestCredential> credential, Set<String> allowedHosts) {
    this.credential = credential;
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  @Override
  public void filter(ContainerRequestContext ctx) throws IOException {
    String host = hostOf(ctx.getHeaderString(HttpHeaders.HOST));
    if (host == null || !allowedHosts.contains(host)) {
      ctx.abortWith(error(421, "this worker does not answer to that Host; use its own address"));
      return;
    }
    String method = ctx.getMethod().toUpperCase(Locale.ROOT);
    String path = ctx.getUriInfo().getPath(false);
    path = path.startsWith("/") ? path.substring(1) : path;
    // Reads stay open to whoever passed the Host check, as on the console: configs hold no
    // secrets (only ${file:...} references) and `subscriptions list|status` need no credential.
    boolean open = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    boolean internal =
        (method.equals("POST") || method.equals("PUT")) && INTERNAL.matcher(path).matches();
    if (!open && !internal) {
      RestCredential c = credential.get();
      if (c == null || !c.accepts(ctx.getHeaderString(HttpHeaders.AUTHORIZATION))) {
        ctx.abortWith(
            error(
                401,
                "writes to this worker's REST API need Authorization: Bearer <token>; the token is in"
                    + " <secrets-dir>/"
                    + RestCredential.FILE_NAME
                    + " (subscriptions --secrets-dir reads it)"));
        return;
      }
    }
    boolean write = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    if (write && !internal && CONFIG_WRITE.matcher(path).matches() && ctx.hasEntity()) {
      byte[] body = ctx.getEntityStream().readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        ctx.abortWith(error(413, "connector config over " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      ctx.setEntityStream(new ByteArrayInputStream(body));
      String problem =
          placeholderProblem(body, path.startsWith("connectors") && !path.contains("/"));
      if (problem != null) {
        ctx.abortWith(error(400, problem));
      }
    }
  }

  /**
   * Why a connector config body may not be stored, or null. {@code wrapped}: the body is {@code
   * {"name": ..., "config": {...}}} (POST /connectors) rather than the config itself.
   */
  static String placeholderProblem(byte[] body, boolean wrapped) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return null; // not JSON: Connect answers that itself
    }
    JsonNode config = wrapped && root != null ? root.path("config") : root;
    if (config == null || !config.isObject()) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (SECRET_KEYS.contains(e.getKey()) || !e.getValue().isTextual()) {
        continue;
      }
      Matcher m = PLACEHOLDER.matcher(e.getValue().asText());
      while (m.find()) {
        if (!m.group(1).equals("streamsight")) {
          return e.getKey()
              + ": config providers (${"
              + m.group(1)
              + ":...}) are allowed only in the secret keys "
              + SECRET_KEYS.stream().sorted().toList()
              + "; Connect would resolve it into a value that leaves the worker";
        }
      }
    }
    return null;
  }

  /** The host part of a Host header, lower case, IPv6 without brackets; null if absent. */
  static String hostOf(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(1, end);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("error_code", status, "message", message))
        .build();
  }
}
