package io.streamsight.sinks.connect.webhook;

import io.streamsight.sinks.connect.payload.Notification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one notification to one receiver, signed per Standard Webhooks, and classifies the answer:
 * 2xx delivered; 408, 429, 5xx, timeouts and connection errors retriable (with Retry-After when
 * given); anything else (other 4xx, 3xx: redirects are not followed, a refused address) permanent.
 *
 * <p>Every attempt, body included, ends within {@code webhook.request.timeout.ms}: the exchange is
 * awaited with that deadline and cancelled (connection closed) when it passes. A 2xx body is never
 * waited for: it is drained in the background so the connection can be reused, and cut at the
 * deadline; an error body is read up to {@link #EXCERPT_BYTES} for the dead letter, within the same
 * deadline. The host is resolved once per attempt, checked by {@link UrlGuard} and connected to by
 * that address ({@link PinnedHttp}). Thread-safe: the JDK client is.
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  /** Enough of a refusal's body to say why in a dead letter, not enough to flood it. */
  static final int EXCERPT_BYTES = 300;

  private static final String USER_AGENT = "streamsight-webhooks/1";

  private final WebhookConfig config;
  private final HttpClient client;
  private final Clock clock;
  private final UrlGuard.Resolver resolver;
  private final boolean pinned;

  /** Cuts 2xx bodies still arriving at their deadline; one daemon thread, idle when unused. */
  private final ScheduledExecutorService cutter;

  public WebhookSender(WebhookConfig config, Clock clock) {
    this(config, clock, UrlGuard.Resolver.SYSTEM);
  }

  WebhookSender(WebhookConfig config, Clock clock, UrlGuard.Resolver resolver) {
    this(config, clock, resolver, null);
  }

  /**
   * @param trust the trust managers, or null for the platform's (tests: a receiver's own
   *     certificate)
   */
  WebhookSender(
      WebhookConfig config, Clock clock, UrlGuard.Resolver resolver, TrustManager[] trust) {
    this.config = config;
    this.clock = clock;
    this.resolver = resolver;
    this.pinned = PinnedHttp.available();
    if (!pinned) {
      LOG.warn(
          "Webhooks to {} connect by name after the SSRF check (the JVM's HTTP client was used"
              + " before -D{}=host could take effect); start the JVM with that option to pin the"
              + " checked address",
          UrlGuard.origin(config.url()),
          PinnedHttp.PROPERTY);
    }
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1);
    // A TLS context of its own: the JDK caches sessions per context by peer address and port, and
    // a pinned request's peer is the IP literal, so with a shared context another host name on
    // the same address could resume this one's session and skip the certificate's name check. One
    // sender serves one URL, so its cache only ever holds sessions verified for that name.
    SSLContext tlsContext = tlsContext(trust);
    b.sslContext(tlsContext);
    SSLParameters tls = pinned ? PinnedHttp.sslParameters(config.url(), tlsContext) : null;
    if (tls != null) {
      b.sslParameters(tls);
    }
    this.client = b.build();
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "webhook-body-cutter");
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    s.setKeepAliveTime(30, TimeUnit.SECONDS);
    s.allowCoreThreadTimeOut(true);
    this.cutter = s;
  }

  private static SSLContext tlsContext(TrustManager[] trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, trust, null);
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context", e);
    }
  }

  public Delivery send(Notification n) {
    URI url = config.url();
    long deadline = System.nanoTime() + config.requestTimeout().toNanos();
    InetAddress address;
    try {
      address = UrlGuard.resolve(url, config.allowPrivate(), resolver);
    } catch (UrlGuard.RefusedUrlException e) {
      return Delivery.permanent(e.getMessage());
    } catch (UnknownHostException e) {
      return Delivery.retry("cannot resolve " + url.getHost(), -1);
    }
    String where = UrlGuard.origin(url);
    HttpRequest request;
    try {
      request = request(n, url, address);
    } catch (IllegalArgumentException e) {
      // A header value the HTTP client refuses (CR/LF, non-Latin-1): this record can never go.
      return Delivery.permanent("cannot build the request to " + where + ": " + e.getMessage());
    }
    AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
    HttpResponse.BodyHandler<String> handler =
        info -> {
          head.set(info);
          return info.statusCode() / 100 == 2
              ? new ResponseBodies.Drain(cutter, deadline)
              : new ResponseBodies.Excerpt(EXCERPT_BYTES);
        };
    CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, handler);
    HttpResponse<String> response;
    try {
      response = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true); // closes the connection: nothing of this attempt lingers
      HttpResponse.ResponseInfo info = head.get();
      if (info == null) {
        return Delivery.retry("no answer from " + where + " within " + config.requestTimeout(), -1);
      }
      return classify(
          info.statusCode(),
          info.headers().firstValue("Retry-After"),
          where,
          "(body not received within " + config.requestTimeout() + ")");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HttpTimeoutException) {
        return Delivery.retry("no answer from " + where + " within " + config.requestTimeout(), -1);
      }
      if (c instanceof IOException) {
        return Delivery.retry(
            c.getClass().getSimpleName() + " reaching " + where + ": " + c.getMessage(), -1);
      }
      return Delivery.retry("delivery to " + where + " failed: " + c, -1);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      return Delivery.retry("interrupted while delivering to " + where, -1);
    }
    return classify(
        response.statusCode(),
        response.headers().firstValue("Retry-After"),
        where,
        response.body() == null ? "" : response.body());
  }

  private HttpRequest request(Notification n, URI url, InetAddress address) {
    long timestamp = clock.millis() / 1000;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(pinned ? PinnedHttp.pinned(url, address) : url)
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("webhook-id", n.id())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", config.secret().sign(n.id(), timestamp, n.body()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(n.body()));
    if (pinned) {
      b.header("Host", PinnedHttp.hostHeader(url));
    }
    return b.build();
  }

  private Delivery classify(int status, Optional<String> retryAfter, String where, String excerpt) {
    if (status >= 200 && status < 300) {
      return Delivery.delivered();
    }
    String detail = "HTTP " + status + " from " + where + (excerpt.isEmpty() ? "" : ": " + excerpt);
    if (status == 408 || status == 429 || status >= 500) {
      long after =
          retryAfterMillis(retryAfter)
              .map(ms -> Math.min(ms, config.retryAfterMax().toMillis()))
              .orElse(-1L);
      return Delivery.retry(detail, after);
    }
    if (status >= 300 && status < 400) {
      return Delivery.permanent(detail + " (redirects are not followed)");
    }
    return Delivery.permanent(detail);
  }

  /** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); empty if absent or bad. */
  Optional<Long> retryAfterMillis(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    try {
      return Optional.of(Math.max(0, Long.parseLong(v)) * 1000);
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        return Optional.of(Math.max(0, at * 1000 - clock.millis()));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  Duration requestTimeout() {
    return config.requestTimeout();
  }

  @Override
  public void close() {
    cutter.shutdownNow();
    // HttpClient.close() exists only from Java 21; its threads end with the last reference.
  }
}
