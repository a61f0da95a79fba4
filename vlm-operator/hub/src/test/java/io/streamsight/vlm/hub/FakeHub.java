package io.streamsight.vlm.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the Hugging Face hub: {@code /REPO/resolve/REV/FILE} with Range support and
 * 302 redirects of large files to a "CDN" path, the tree metadata API with LFS sha256, and knobs to
 * misbehave (cut a transfer, lie about a hash, hide the API, demand a token, fail transiently).
 */
final class FakeHub implements AutoCloseable {
  /** A request as the server saw it. */
  record Hit(String path, String range, String authorization, String ifRange) {}

  static final long LFS_THRESHOLD = 1024;

  private final HttpServer server;
  private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
  private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
  private final Map<String, Long> stallAfter = new ConcurrentHashMap<>();
  private volatile Duration stallFor = Duration.ZERO;
  private final Map<String, String> fakeSha = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Set<String> ignoreRange = ConcurrentHashMap.newKeySet();
  private final Set<String> noChecksum = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> sizeLie = new ConcurrentHashMap<>();
  final List<Hit> hits = new CopyOnWriteArrayList<>();
  volatile boolean metadataApi = true;

  /** When set, listings send their headers and first byte, then go silent this long. */
  volatile Duration listingStall;

  /** When positive, listings carry this many bytes of padding after the JSON. */
  volatile int listingPadding;

  /** Files sent without Content-Length (chunked), as some mirrors do. */
  final Set<String> chunked = ConcurrentHashMap.newKeySet();

  volatile String requiredToken;

  static {
    // Without TCP_NODELAY every small response waits ~40 ms for a delayed ACK (Nagle), which made
    // each pull in the tests take half a second. Read once per JVM, before the first server.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // Several handler threads: a stalled transfer must not hold up the resumed one.
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-hub");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void put(String repo, String path, byte[] content) {
    repos
        .computeIfAbsent(repo, r -> Collections.synchronizedMap(new LinkedHashMap<>()))
        .put(path, content);
  }

  /** The next transfer of {@code path} sends {@code bytes} bytes, then drops the connection. */
  void cutOnce(String path, long bytes) {
    cutAfter.put(path, bytes);
  }

  /** The next transfer of {@code path} sends {@code bytes} bytes, then goes silent for a while. */
  void stallOnce(String path, long bytes, Duration howLong) {
    stallFor = howLong;
    stallAfter.put(path, bytes);
  }

  /** The metadata API reports this sha256 for {@code path} (the content stays as it is). */
  void lieAboutSha(String path, String sha) {
    fakeSha.put(path, sha);
  }

  /** The next {@code n} requests for {@code path} get HTTP 503. */
  void failTransiently(String path, int n) {
    failures.put(path, n);
  }

  void ignoreRangeFor(String path) {
    ignoreRange.add(path);
  }

  List<Hit> downloadsOf(String path) {
    return hits.stream().filter(h -> h.path().endsWith("/" + path)).toList();
  }

  List<Hit> fileHits() {
    return hits.stream().filter(h -> !h.path().startsWith("/api/")).toList();
  }

  /** The listing omits any checksum for {@code path} (as a mirror without git ids would). */
  void withoutChecksum(String path) {
    noChecksum.add(path);
  }

  /** The listing states {@code size} for {@code path} (the content stays as it is). */
  void lieAboutSize(String path, long size) {
    sizeLie.put(path, size);
  }

  static String gitBlobSha1(byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-1");
      d.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d.digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    hits.add(
        new Hit(
            path,
            ex.getRequestHeaders().getFirst("Range"),
            auth,
            ex.getRequestHeaders().getFirst("If-Range")));
    try (ex) {
      boolean cdn = path.startsWith("/cdn/");
      if (!cdn && requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
        send(ex, 401, null, new byte[0]);
        return;
      }
      if (path.startsWith("/api/models/")) {
        api(ex, path.substring("/api/models/".length()));
      } else if (cdn) {
        file(ex, path.substring("/cdn/".length()), true);
      } else {
        file(ex, path.substring(1), false);
      }
    }
  }

  private void api(HttpExchange ex, String rest) throws IOException {
    if (!metadataApi) {
      send(ex, 404, null, "Not Found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Duration stall = listingStall;
    if (stall != null) {
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write('[');
      ex.getResponseBody().flush();
      pause(stall);
      return;
    }
    int tree = rest.indexOf("/tree/");
    Map<String, byte[]> files = tree < 0 ? null : repos.get(rest.substring(0, tree));
    if (files == null) {
      send(ex, 401, "RepoNotFound", new byte[0]); // what the real hub answers without a token
      return;
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    synchronized (files) {
      files.forEach(
          (p, b) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "file");
            e.put("path", p);
            e.put("size", b.length);
            if (b.length >= LFS_THRESHOLD) {
              // The blob id of an LFS file is its pointer's, never the content's.
              e.put("oid", "0123456789abcdef0123456789abcdef01234567");
              e.put("lfs", Map.of("oid", fakeSha.getOrDefault(p, sha256(b)), "size", b.length));
            } else if (!noChecksum.contains(p)) {
              e.put("oid", fakeSha.getOrDefault(p, gitBlobSha1(b)));
            }
            e.put("size", sizeLie.getOrDefault(p, (long) b.length));
            entries.add(e);
          });
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(entries);
    if (listingPadding > 0) {
      byte[] padded = java.util.Arrays.copyOf(json, json.length + listingPadding);
      java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
      json = padded;
    }
    send(ex, 200, null, json);
  }

  /** {@code REPO/resolve/REV/FILE} or, after a redirect, {@code REPO/REV/FILE} under /cdn/. */
  private void file(HttpExchange ex, String rest, boolean cdn) throws IOException {
    String marker = cdn ? "/-/" : "/resolve/";
    int at = rest.indexOf(marker);
    String repo = at < 0 ? rest : rest.substring(0, at);
    Map<String, byte[]> files = repos.get(repo);
    if (files == null) {
      send(ex, 401, "RepoNotFound", new byte[0]);
      return;
    }
    String afterRev = rest.substring(at + marker.length());
    String file = afterRev.substring(afterRev.indexOf('/') + 1);
    byte[] body = files.get(file);
    if (body == null) {
      send(ex, 404, "EntryNotFound", new byte[0]);
      return;
    }
    Integer fail = failures.get(file);
    if (fail != null && fail > 0) {
      failures.put(file, fail - 1);
      send(ex, 503, null, new byte[0]);
      return;
    }
    if (!cdn && body.length >= LFS_THRESHOLD) {
      // Another host name for the same server, as the real hub redirects to its CDN's host.
      String cdnHost = "http://localhost:" + server.getAddress().getPort();
      ex.getResponseHeaders().add("Location", cdnHost + "/cdn/" + repo + "/-/" + afterRev);
      send(ex, 302, null, new byte[0]);
      return;
    }
    long start = 0;
    String range = ex.getRequestHeaders().getFirst("Range");
    String etag = "\"" + sha256(body) + "\"";
    ex.getResponseHeaders().add("ETag", etag);
    String ifRange = ex.getRequestHeaders().getFirst("If-Range");
    if (ifRange != null && !ifRange.equals(etag)) {
      range = null; // RFC 9110: a changed representation is sent whole, with 200
    }
    if (range != null && !ignoreRange.contains(file)) {
      start = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
      if (start >= body.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
        send(ex, 416, null, new byte[0]);
        return;
      }
      ex.getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
    }
    int len = (int) (body.length - start);
    ex.sendResponseHeaders(start > 0 ? 206 : 200, chunked.contains(file) ? 0 : len);
    Long cut = cutAfter.remove(file);
    OutputStream out = ex.getResponseBody();
    Long stall = stallAfter.remove(file);
    if (stall != null && stall < len) {
      out.write(body, (int) start, stall.intValue());
      out.flush();
      pause(stallFor);
      return; // then cut, as a dead connection eventually is
    }
    if (cut != null && cut < len) {
      out.write(body, (int) start, cut.intValue());
      out.flush();
      // Give the client a moment to drain what was sent: a close with unread data can become a
      // TCP reset that discards bytes still in the client's receive buffer.
      pause(Duration.ofMillis(200));
      // Closing with bytes still owed makes the JDK server drop the connection mid-body.
      return;
    }
    out.write(body, (int) start, len);
  }

  private static void send(HttpExchange ex, int status, String errorCode, byte[] body)
      throws IOException {
    if (errorCode != null) {
      ex.getResponseHeaders().add("X-Error-Code", errorCode);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
