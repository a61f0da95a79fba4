package io.streamsight.console;

import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page itself: one HTML shell for every page path, its script and style sheet as files (the
 * Content-Security-Policy allows no inline code), an icon, and the OpenAPI document. All read from
 * the jar once at start: nothing comes from another site, so the console works offline.
 */
final class StaticAssets {
  static final String BASE = "/io/streamsight/console/web/";

  /** The page paths; each serves the shell, whose script renders the page for its path. */
  static final String[] PAGES = {"/", "/camera", "/alerts", "/rules", "/search", "/subscriptions"};

  private record Asset(String type, byte[] bytes) {}

  private final Map<String, Asset> files = new LinkedHashMap<>();
  private final Asset shell;
  private final Asset openApi;

  StaticAssets() {
    shell = load("index.html", "text/html; charset=utf-8");
    openApi = load("openapi.json", "application/json; charset=utf-8");
    files.put("app.js", load("app.js", "text/javascript; charset=utf-8"));
    files.put("style.css", load("style.css", "text/css; charset=utf-8"));
    files.put("icon.svg", load("icon.svg", "image/svg+xml"));
  }

  void register(Router r) {
    for (String page : PAGES) {
      r.get(page, ex -> ex.bytes(200, shell.type(), shell.bytes()));
    }
    r.get("/static/{file}", this::file);
    r.get("/api/openapi.json", ex -> ex.bytes(200, openApi.type(), openApi.bytes()));
  }

  private void file(Exchange ex) throws IOException {
    Asset a = files.get(ex.path("file"));
    if (a == null) {
      throw new HttpError(404, "no such file");
    }
    ex.bytes(200, a.type(), a.bytes());
  }

  private static Asset load(String name, String type) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("console asset " + name + " is missing from the jar");
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading console asset " + name, e);
    }
  }
}
