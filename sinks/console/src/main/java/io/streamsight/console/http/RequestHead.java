package io.streamsight.console.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A request's line and headers, parsed from the bytes before the blank line. Only what the console
 * needs: origin-form targets ({@code /path?query}), at most {@link #MAX_HEADERS} headers, bodies by
 * {@code Content-Length} (a chunked request body is refused by the caller: the API's bodies are
 * small JSON that every client sends with a length).
 */
record RequestHead(String method, URI uri, String protocol, Headers headers) {
  /** A request head larger than this is refused (431) before it is parsed. */
  static final int MAX_BYTES = 16 * 1024;

  static final int MAX_HEADERS = 100;

  /** Parses {@code bytes} (the head without its final blank line). */
  static RequestHead parse(byte[] bytes, int length) {
    // ISO-8859-1: every byte is one char, so nothing in a header can fail to decode.
    String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n", -1);
    String[] parts = lines[0].split(" ", -1);
    if (parts.length != 3 || !parts[0].matches("[A-Z]{1,16}") || !parts[2].startsWith("HTTP/1.")) {
      throw new HttpError(400, "not an HTTP/1.x request line");
    }
    if (!parts[1].startsWith("/")) {
      throw new HttpError(400, "the request target must be a path");
    }
    URI uri;
    try {
      uri = new URI(parts[1]);
    } catch (URISyntaxException e) {
      throw new HttpError(400, "the request target is not a valid URI");
    }
    if (lines.length - 1 > MAX_HEADERS) {
      throw new HttpError(431, "more than " + MAX_HEADERS + " headers");
    }
    Headers h = new Headers();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new HttpError(400, "malformed header line " + i); // obsolete folding included
      }
      h.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return new RequestHead(parts[0], uri, parts[2], h);
  }

  /** The declared body length: 0 without a body; refuses what the console does not take. */
  long contentLength() {
    if (headers.containsKey("Transfer-Encoding")) {
      throw new HttpError(411, "send the body with a Content-Length");
    }
    String v = headers.getFirst("Content-Length");
    if (v == null) {
      return 0;
    }
    if (headers.get("Content-Length").size() > 1 || !v.matches("\\d{1,18}")) {
      throw new HttpError(400, "bad Content-Length");
    }
    return Long.parseLong(v);
  }
}
