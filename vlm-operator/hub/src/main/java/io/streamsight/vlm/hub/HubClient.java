package io.streamsight.vlm.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two hub calls a pull needs: list a revision's files ({@code /api/models/REPO/tree/REV}) and
 * fetch one file ({@code /REPO/resolve/REV/FILE}), mapping HTTP failures to typed errors that name
 * the repo, revision and file. Only the JDK client and Jackson; redirects are followed by hand so
 * the token is never sent to another host (the hub redirects LFS files to its CDN).
 */
final class HubClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_REDIRECTS = 10;

  /**
   * A listing page is JSON of a few hundred bytes per file (a large repo: well under 1 MiB); more
   * than this is a misbehaving server, refused before it is parsed.
   */
  static final int MAX_LISTING_BYTES = 16 << 20;

  private final PullConfig config;
  private final HttpClient http;

  HubClient(PullConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
  }

  /**
   * The revision's files with sizes and LFS sha256, or empty when this endpoint offers no usable
   * metadata (e.g. a plain mirror of the resolve layout): the pull then goes on without it.
   *
   * @throws HubException when the hub says the repo or revision does not exist, or denies access
   */
  Optional<List<HubFile>> listFiles() {
    Optional<List<HubFile>> tree = listTree();
    return tree.isPresent() ? tree : listSiblings();
  }

  private Optional<List<HubFile>> listTree() {
    List<HubFile> files = new ArrayList<>();
    URI next = api("tree", "?recursive=true");
    for (int page = 0; next != null && page < 100; page++) {
      HttpResponse<InputStream> r = send(next, -1, null);
      Optional<JsonNode> body = metadataBody(r, "file listing");
      if (body.isEmpty() || !body.get().isArray()) {
        return Optional.empty();
      }
      for (JsonNode e : body.get()) {
        if ("file".equals(e.path("type").asText("file")) && e.hasNonNull("path")) {
          // A non-LFS entry's oid is its git blob id; an LFS entry's is the pointer's.
          JsonNode blob = e.has("lfs") ? null : e.path("oid");
          files.add(file(e.get("path").asText(), e.path("size"), e.path("lfs").path("oid"), blob));
        }
      }
      next = r.headers().firstValue("Link").map(l -> nextPage(r.uri(), l)).orElse(null);
    }
    return Optional.of(files);
  }

  private Optional<List<HubFile>> listSiblings() {
    HttpResponse<InputStream> r = send(api("revision", "?blobs=true"), -1, null);
    Optional<JsonNode> body = metadataBody(r, "revision info");
    if (body.isEmpty() || !body.get().path("siblings").isArray()) {
      return Optional.empty();
    }
    List<HubFile> files = new ArrayList<>();
    for (JsonNode s : body.get().get("siblings")) {
      if (s.hasNonNull("rfilename")) {
        JsonNode lfs = s.path("lfs");
        JsonNode sha = lfs.has("sha256") ? lfs.get("sha256") : lfs.path("oid");
        JsonNode blob = s.has("lfs") ? null : s.path("blobId");
        files.add(file(s.get("rfilename").asText(), s.path("size"), sha, blob));
      }
    }
    return Optional.of(files);
  }

  /**
   * Opens a file from {@code offset} on (a {@code Range} request when offset > 0). Returns the
   * response for status 200 (whole file: the server may ignore the range), 206 (the rest) or 416
   * (nothing left after offset); anything else is thrown as a typed error.
   */
  HttpResponse<InputStream> open(String path, long offset) {
    return open(path, offset, null);
  }

  /**
   * As {@link #open(String, long)}; with {@code ifRange} (the ETag the part file was started from)
   * the server answers 206 only if the file is still that version, else 200 with the whole file, so
   * a resume never appends one version's bytes to another's.
   */
  HttpResponse<InputStream> open(String path, long offset, String ifRange) {
    URI uri =
        URI.create(
            config.endpoint()
                + "/"
                + config.repo()
                + "/resolve/"
                + enc(config.revision())
                + "/"
                + path);
    HttpResponse<InputStream> r = send(uri, offset, ifRange);
    int s = r.statusCode();
    if (s == 200 || s == 206 || s == 416) {
      return r;
    }
    drain(r);
    throw failure(s, r, "file " + path);
  }

  private Optional<JsonNode> metadataBody(HttpResponse<InputStream> r, String what) {
    int s = r.statusCode();
    if (s == 200) {
      byte[] body = boundedBody(r, what);
      try {
        return Optional.of(JSON.readTree(body));
      } catch (IOException e) {
        // Not JSON (or cut short): treat as "no metadata" rather than failing the pull.
        return Optional.empty();
      }
    }
    drain(r);
    String code = r.headers().firstValue("X-Error-Code").orElse("");
    if (s == 401 || s == 403 || code.endsWith("NotFound") || s == 429 || s >= 500) {
      throw failure(s, r, what);
    }
    return Optional.empty(); // 404 without an error code, 405, ...: an endpoint without the API
  }

  /**
   * Sends a GET and follows redirects by hand. The token goes only to the endpoint's own scheme,
   * host and port, and once a redirect leaves them it is dropped for every later hop (a redirect
   * back cannot win it back: the hop in between chose where it points). A redirect to plain http is
   * refused unless http was allowed.
   */
  private HttpResponse<InputStream> send(URI uri, long offset, String ifRange) {
    URI origin = config.endpoint();
    boolean sendToken = config.token() != null;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!"https".equalsIgnoreCase(uri.getScheme())
          && !("http".equalsIgnoreCase(uri.getScheme()) && config.allowHttp())) {
        throw new HubException(
            HubException.Kind.PROTOCOL,
            "refusing to fetch "
                + uri
                + ": not https (pass --allow-http to permit plain http, e.g. a local mirror)");
      }
      sendToken &= sameOrigin(uri, origin);
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
      b.header("User-Agent", "streamsight-model-pull");
      if (sendToken) {
        b.header("Authorization", "Bearer " + config.token());
      }
      if (offset > 0) {
        b.header("Range", "bytes=" + offset + "-");
        if (ifRange != null) {
          b.header("If-Range", ifRange);
        }
      }
      HttpResponse<InputStream> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        // ConnectException and friends often carry no message: the type is the information.
        String why =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        throw new RetriableHubException("network error fetching " + uri + ": " + why, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubException(HubException.Kind.LOCAL_IO, "interrupted fetching " + uri, e);
      }
      int s = r.statusCode();
      Optional<String> location = r.headers().firstValue("Location");
      if (s >= 300 && s < 400 && location.isPresent()) {
        drain(r);
        uri = uri.resolve(location.get());
        continue;
      }
      return r;
    }
    throw new HubException(HubException.Kind.PROTOCOL, "too many redirects fetching " + uri);
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private HubException failure(int status, HttpResponse<?> r, String what) {
    String code = r.headers().firstValue("X-Error-Code").orElse("");
    String repoRev = config.repo() + " (revision " + config.revision() + ")";
    String at = " at " + config.endpoint();
    if (code.equals("RepoNotFound")) {
      return new HubException(
          HubException.Kind.NOT_FOUND,
          "repository "
              + config.repo()
              + " not found"
              + at
              + " (check the name; if it is private, set HF_TOKEN)");
    }
    if (code.equals("RevisionNotFound")) {
      return new HubException(
          HubException.Kind.NOT_FOUND,
          "revision '" + config.revision() + "' not found in " + config.repo() + at);
    }
    if (code.equals("GatedRepo")) {
      return new HubException(
          HubException.Kind.AUTH,
          config.repo()
              + " is gated (HTTP "
              + status
              + "): accept its terms on the hub and set"
              + " HF_TOKEN to a token of that account");
    }
    if (status == 401 || status == 403) {
      String tokenNote =
          config.token() == null
              ? "set HF_TOKEN to a token with read access"
              : "the HF_TOKEN given was refused or lacks access";
      return new HubException(
          HubException.Kind.AUTH,
          "access denied (HTTP "
              + status
              + ") to "
              + what
              + " of "
              + repoRev
              + ": private or gated repository, or a bad name; "
              + tokenNote);
    }
    if (status == 404) {
      return new HubException(
          HubException.Kind.NOT_FOUND, "not found (HTTP 404): " + what + " of " + repoRev + at);
    }
    if (status == 429 || status >= 500) {
      return new RetriableHubException(
          "hub answered HTTP " + status + " for " + what + " of " + repoRev, null);
    }
    return new HubException(
        HubException.Kind.PROTOCOL,
        "unexpected HTTP " + status + " for " + what + " of " + repoRev);
  }

  private URI api(String kind, String query) {
    return URI.create(
        config.endpoint()
            + "/api/models/"
            + config.repo()
            + "/"
            + kind
            + "/"
            + enc(config.revision())
            + query);
  }

  private static HubFile file(String path, JsonNode size, JsonNode sha, JsonNode blob) {
    return new HubFile(
        path, size.canConvertToLong() ? size.asLong() : -1, hex(sha, 64), hex(blob, 40));
  }

  private static String hex(JsonNode n, int length) {
    return n != null && n.isTextual() && n.asText().matches("[0-9a-fA-F]{" + length + "}")
        ? n.asText().toLowerCase()
        : null;
  }

  private static URI nextPage(URI current, String link) {
    Matcher m = NEXT_LINK.matcher(link);
    return m.find() ? current.resolve(m.group(1)) : null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * The whole body of a metadata response, at most {@link #MAX_LISTING_BYTES}, arriving within the
   * stall timeout in all (the request's own timeout ends when the headers arrive; a server could
   * then trickle the body forever). A stall is retriable, an oversized body is not.
   */
  private byte[] boundedBody(HttpResponse<InputStream> r, String what) {
    java.util.concurrent.atomic.AtomicBoolean late =
        new java.util.concurrent.atomic.AtomicBoolean();
    InputStream in = r.body();
    var alarm =
        FileTransfer.WATCHDOG.schedule(
            () -> {
              late.set(true);
              try {
                in.close();
              } catch (IOException ignored) {
                // the reader sees the flag either way
              }
            },
            config.stallTimeout().toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
    byte[] body;
    try (in) {
      body = in.readNBytes(MAX_LISTING_BYTES + 1);
    } catch (IOException e) {
      body = null;
    } finally {
      alarm.cancel(false);
    }
    if (late.get() || body == null) {
      throw new RetriableHubException(
          what
              + " from "
              + r.uri()
              + (late.get()
                  ? " did not arrive within " + config.stallTimeout().toMillis() + " ms"
                  : " broke off"),
          null);
    }
    if (body.length > MAX_LISTING_BYTES) {
      throw new HubException(
          HubException.Kind.PROTOCOL,
          what + " from " + r.uri() + " is larger than " + MAX_LISTING_BYTES + " bytes; refused");
    }
    return body;
  }

  static void drain(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.readNBytes(64 * 1024);
    } catch (IOException ignored) {
      // only freeing the connection; the status already says what happened
    }
  }
}
