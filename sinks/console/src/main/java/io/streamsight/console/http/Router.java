package io.streamsight.console.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streamsight.console.AccessToken;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's routes on the JDK's HTTP server: matches method and path ({@code {name}} segments
 * are parameters), sets the security headers on every response, refuses foreign {@code Host}
 * headers however it is bound (DNS rebinding), and lets no write through without the bearer token.
 * Errors become {@code {"error": ...}} JSON with the right status.
 */
public final class Router implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /**
   * Scripts and styles only from files this server serves (no inline code, no other origin), images
   * only from here, no framing, no plugins, no form posts elsewhere.
   */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** What a route does with a request. */
  @FunctionalInterface
  public interface Handler {
    void handle(Exchange ex) throws Exception;
  }

  /** One route; {@code write} routes need the token; {@code lane} says which threads serve it. */
  public record Route(String method, String pattern, boolean write, Lane lane, Handler handler) {
    String[] segments() {
      return pattern.substring(1).split("/", -1);
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final AccessToken token;
  private final Set<String> allowedHosts;

  /**
   * @param allowedHosts the {@code Host} header values to accept ({@code name:port}, lower case);
   *     see {@link HostAllowList}
   */
  public Router(AccessToken token, Set<String> allowedHosts) {
    this.token = token;
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /** A read served on the {@link Lane#ORDINARY} threads. */
  public Router get(String pattern, Handler h) {
    return get(pattern, Lane.ORDINARY, h);
  }

  /** A read served on {@code lane}'s threads. */
  public Router get(String pattern, Lane lane, Handler h) {
    return add("GET", pattern, false, lane, h);
  }

  public Router post(String pattern, Handler h) {
    return add("POST", pattern, true, Lane.ORDINARY, h);
  }

  public Router put(String pattern, Handler h) {
    return add("PUT", pattern, true, Lane.ORDINARY, h);
  }

  public Router delete(String pattern, Handler h) {
    return add("DELETE", pattern, true, Lane.ORDINARY, h);
  }

  private Router add(String method, String pattern, boolean write, Lane lane, Handler h) {
    routes.add(new Route(method, pattern, write, lane, h));
    return this;
  }

  /**
   * The lane of the route {@code method} and {@code rawPath} select; {@link Lane#ORDINARY} when
   * none does (the 404/405 answer is cheap).
   */
  public Lane lane(String method, String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return Lane.ORDINARY;
    }
    String[] path = rawPath.substring(1).split("/", -1);
    for (Route r : routes) {
      if (r.method().equals(method) && match(r.segments(), path) != null) {
        return r.lane();
      }
    }
    return Lane.ORDINARY;
  }

  /** Every route, in the order they were added (the OpenAPI test compares them). */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  @Override
  public void handle(HttpExchange raw) throws IOException {
    securityHeaders(raw);
    Exchange ex = null;
    try {
      String host = raw.getRequestHeaders().getFirst("Host");
      if (!HostAllowList.allows(allowedHosts, host)) {
        throw new HttpError(
            421,
            "this console answers only to the host names "
                + new java.util.TreeSet<>(allowedHosts)
                + " (add one with --host-name)");
      }
      String[] path = raw.getRequestURI().getRawPath().substring(1).split("/", -1);
      boolean pathMatched = false;
      for (Route r : routes) {
        Map<String, String> params = match(r.segments(), path);
        if (params == null) {
          continue;
        }
        pathMatched = true;
        String method = raw.getRequestMethod();
        if (!r.method().equals(method)) {
          continue;
        }
        if (r.write() && !token.accepts(raw.getRequestHeaders().getFirst("Authorization"))) {
          raw.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"streamsight\"");
          throw new HttpError(
              401,
              "this write needs the console token: send Authorization: Bearer <token> (the token"
                  + " is in the console's data directory, file "
                  + AccessToken.FILE_NAME
                  + ")");
        }
        ex = new Exchange(raw, params);
        r.handler().handle(ex);
        return;
      }
      throw pathMatched
          ? new HttpError(405, raw.getRequestMethod() + " is not allowed here")
          : new HttpError(404, "no such page or API: " + raw.getRequestURI().getRawPath());
    } catch (HttpError e) {
      error(raw, e.status(), e.field(), e.getMessage());
    } catch (IOException e) {
      // The client went away (a closed tab, a dropped live stream): nothing to answer.
      LOG.debug("request {} ended: {}", raw.getRequestURI().getRawPath(), e.toString());
      raw.close();
    } catch (Exception e) {
      LOG.warn("request {} {} failed", raw.getRequestMethod(), raw.getRequestURI().getRawPath(), e);
      error(raw, 500, null, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        try {
          params.put(
              p.substring(1, p.length() - 1), URLDecoder.decode(path[i], StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return null;
        }
      } else if (!p.equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  private static void securityHeaders(HttpExchange raw) {
    var h = raw.getResponseHeaders();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cache-Control", "no-store");
  }

  private static void error(HttpExchange raw, int status, String field, String message)
      throws IOException {
    ObjectNode body = Exchange.JSON.createObjectNode().put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    try {
      byte[] bytes = Exchange.JSON.writeValueAsBytes(body);
      raw.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      raw.sendResponseHeaders(status, bytes.length);
      raw.getResponseBody().write(bytes);
    } catch (IOException | IllegalStateException e) {
      // headers were already sent (a live stream that failed midway) or the client is gone
    } finally {
      raw.close();
    }
  }
}
