package io.streamsight.vlm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading bounded JSON bodies from, and writing JSON answers to, the JDK server's exchanges. */
final class Exchanges {
  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);

  private Exchanges() {}

  /** The body as JSON, at most {@code maxBodyBytes}: 413 beyond, 400 when not JSON. */
  static JsonNode body(HttpExchange ex, int maxBodyBytes) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long declared = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1;
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      if (declared > maxBodyBytes) {
        drain(in, declared);
        throw bodyTooLarge(maxBodyBytes);
      }
      bytes = in.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        drain(in, DRAIN_LIMIT);
        throw bodyTooLarge(maxBodyBytes);
      }
    }
    try {
      return ChatResponseWriter.JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // The location only: Jackson's message can quote the input, which may be image data.
      var at = e.getLocation();
      throw ApiError.invalid(
          null,
          "the body is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
  }

  /**
   * Reads and discards what is left of a refused body, up to {@value #DRAIN_LIMIT} bytes: a server
   * that answers and closes while the client is still sending makes the client see a connection
   * reset instead of the 413. Beyond the bound the connection is closed anyway (reading more would
   * let anyone make the server read without end; the read timeout bounds the time).
   */
  private static void drain(InputStream in, long bytes) throws IOException {
    long left = Math.min(bytes, DRAIN_LIMIT);
    byte[] sink = new byte[64 * 1024];
    while (left > 0) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        return;
      }
      left -= n;
    }
  }

  private static final long DRAIN_LIMIT = 64L << 20;

  private static ApiError bodyTooLarge(int maxBodyBytes) {
    return new ApiError(
        413,
        ApiError.INVALID_REQUEST,
        null,
        "request_too_large",
        "the body is larger than this server's limit of " + maxBodyBytes + " bytes");
  }

  static void respond(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = ChatResponseWriter.JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void fail(HttpExchange ex, ApiError e) {
    if (e.status() >= 500) {
      LOG.warn("serve: {} {}", e.status(), e.getMessage());
    }
    try {
      respond(ex, e.status(), ChatResponseWriter.error(e));
    } catch (IOException | RuntimeException io) {
      ex.close(); // headers already sent, or the client is gone
    }
  }
}
