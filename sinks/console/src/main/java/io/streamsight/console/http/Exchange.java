package io.streamsight.console.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request and its response: path parameters, query parameters, a bounded body, replies. */
public final class Exchange {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Requests carry a rule or a question: a few KB. Anything bigger is refused unread. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpExchange raw;
  private final Map<String, String> pathParams;
  private Map<String, String> query;

  Exchange(HttpExchange raw, Map<String, String> pathParams) {
    this.raw = raw;
    this.pathParams = pathParams;
  }

  public HttpExchange raw() {
    return raw;
  }

  /** A {@code {name}} segment of the route's pattern (URL-decoded). */
  public String path(String name) {
    return pathParams.get(name);
  }

  /** A query parameter, or null. */
  public String query(String name) {
    if (query == null) {
      query = parseQuery(raw.getRequestURI().getRawQuery());
    }
    return query.get(name);
  }

  /** The body as JSON, refusing more than {@link #MAX_BODY_BYTES} and anything not JSON. */
  public JsonNode jsonBody() throws IOException {
    String type = raw.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpError(415, "send the body as Content-Type: application/json");
    }
    byte[] body;
    try (InputStream in = raw.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new HttpError(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpError(400, "the body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** Compact JSON text of {@code value} (one line: JSON strings escape their newlines). */
  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** A new JSON object to answer with. */
  public static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return JSON.createObjectNode();
  }

  public void json(int status, Object value) throws IOException {
    bytes(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
  }

  public void bytes(int status, String contentType, byte[] body) throws IOException {
    raw.getResponseHeaders().set("Content-Type", contentType);
    raw.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = raw.getResponseBody()) {
        out.write(body);
      }
    }
    raw.close();
  }

  /**
   * Ends the connection now, from any thread, without flushing: unblocks a write stuck on a client
   * that stopped reading.
   */
  public void abort() {
    if (raw instanceof SocketExchange s) {
      s.abort();
    } else {
      raw.close();
    }
  }

  public void header(String name, String value) {
    raw.getResponseHeaders().set(name, value);
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "the query string is not valid URL encoding");
      }
    }
    return out;
  }
}
