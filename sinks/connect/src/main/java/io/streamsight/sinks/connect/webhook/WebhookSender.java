package io.streamsight.sinks.connect.webhook;

import io.streamsight.sinks.connect.payload.Notification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Sends one notification to one receiver, signed per Standard Webhooks, and classifies the answer:
 * 2xx delivered; 408, 429, 5xx, timeouts and connection errors retriable (with Retry-After when
 * given); anything else (other 4xx, 3xx: redirects are not followed, a refused address) permanent.
 * Thread-safe: the JDK client is.
 */
public final class WebhookSender implements AutoCloseable {
  /** Enough of a refusal's body to say why in a dead letter, not enough to flood it. */
  static final int EXCERPT_BYTES = 300;

  private static final String USER_AGENT = "streamsight-webhooks/1";

  private final WebhookConfig config;
  private final HttpClient client;
  private final Clock clock;

  public WebhookSender(WebhookConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public Delivery send(Notification n) {
    URI url = config.url();
    try {
      UrlGuard.check(url, config.allowPrivate());
    } catch (UrlGuard.RefusedUrlException e) {
      return Delivery.permanent(e.getMessage());
    } catch (UnknownHostException e) {
      return Delivery.retry("cannot resolve " + url.getHost(), -1);
    }
    long timestamp = clock.millis() / 1000;
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("webhook-id", n.id())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", config.secret().sign(n.id(), timestamp, n.body()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(n.body()))
            .build();
    String where = UrlGuard.origin(url);
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      return Delivery.retry("no answer from " + where + " within " + config.requestTimeout(), -1);
    } catch (IOException e) {
      return Delivery.retry(
          e.getClass().getSimpleName() + " reaching " + where + ": " + e.getMessage(), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.retry("interrupted while delivering to " + where, -1);
    }
    int status = response.statusCode();
    String excerpt = excerpt(response.body());
    if (status >= 200 && status < 300) {
      return Delivery.delivered();
    }
    String detail = "HTTP " + status + " from " + where + (excerpt.isEmpty() ? "" : ": " + excerpt);
    if (status == 408 || status == 429 || status >= 500) {
      long after =
          retryAfterMillis(response.headers().firstValue("Retry-After"))
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

  /** The first bytes of a body, printable on one line; the rest is discarded. */
  static String excerpt(InputStream body) {
    try (body) {
      byte[] b = body.readNBytes(EXCERPT_BYTES + 1);
      String s = new String(b, 0, Math.min(b.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        out.append(Character.isISOControl(c) ? ' ' : c);
      }
      return out.toString().strip() + (b.length > EXCERPT_BYTES ? "..." : "");
    } catch (IOException e) {
      return "";
    }
  }

  Duration requestTimeout() {
    return config.requestTimeout();
  }

  @Override
  public void close() {
    // HttpClient.close() exists only from Java 21; its threads end with the last reference.
  }
}
