package io.streamsight.sinks.connect.webhook;

import io.streamsight.sinks.connect.payload.FilterConfig;
import io.streamsight.sinks.connect.payload.SubscriptionFilter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The webhook connector's configuration, declared once and parsed at start into an immutable
 * record; a bad value fails the connector naming the key. The secret is a {@code PASSWORD}, so
 * Connect logs it as {@code [hidden]}, and {@link #toString} leaves it out.
 */
public record WebhookConfig(
    URI url,
    WebhookSecret secret,
    boolean allowPrivate,
    SubscriptionFilter filter,
    int maxAttempts,
    Backoff backoff,
    Duration retryAfterMax,
    Duration connectTimeout,
    Duration requestTimeout,
    int concurrency,
    String snapshotUrlTemplate) {

  public static final String URL = "webhook.url";
  public static final String SECRET = "webhook.secret";
  public static final String ALLOW_PRIVATE = "webhook.allow.private";
  public static final String MAX_ATTEMPTS = "webhook.max.attempts";
  public static final String BACKOFF_INITIAL_MS = Backoff.initialKey("webhook");
  public static final String BACKOFF_MAX_MS = Backoff.maxKey("webhook");
  public static final String RETRY_AFTER_MAX_MS = "webhook.retry.after.max.ms";
  public static final String CONNECT_TIMEOUT_MS = "webhook.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "webhook.request.timeout.ms";
  public static final String CONCURRENCY = "webhook.concurrency";
  public static final String SNAPSHOT_URL_TEMPLATE = "webhook.snapshot.url.template";

  private static final String GROUP = "Webhook";

  public static final ConfigDef DEF =
      Backoff.define(
          FilterConfig.define(new ConfigDef())
              .define(
                  URL,
                  Type.STRING,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "The receiver: an http or https URL. Redirects are not followed.")
              .define(
                  SECRET,
                  Type.PASSWORD,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "Signing secret whsec_<base64 key> (Standard Webhooks). Give it through a config"
                      + " provider, e.g. ${file:/path/secrets.properties:webhook.secret}.")
              .define(
                  ALLOW_PRIVATE,
                  Type.BOOLEAN,
                  false,
                  Importance.HIGH,
                  "Allow a receiver on a loopback, private, link-local or multicast address (on-prem"
                      + " receivers). Off: such addresses are refused before every delivery.")
              .define(
                  MAX_ATTEMPTS,
                  Type.INT,
                  0,
                  Range.atLeast(0),
                  Importance.MEDIUM,
                  "Attempts before a retriable failure is dead-lettered; 0 retries without limit.")
              .define(
                  RETRY_AFTER_MAX_MS,
                  Type.LONG,
                  3_600_000L,
                  Range.atLeast(0),
                  Importance.LOW,
                  "Longest Retry-After honoured (a 429 or 503 may ask for more; it is capped).")
              .define(
                  CONNECT_TIMEOUT_MS,
                  Type.LONG,
                  5_000L,
                  Range.between(1, 600_000),
                  Importance.LOW,
                  "TCP/TLS connect timeout.")
              .define(
                  REQUEST_TIMEOUT_MS,
                  Type.LONG,
                  10_000L,
                  Range.between(1, 600_000),
                  Importance.LOW,
                  "Time for the receiver to answer; then the attempt is retried.")
              .define(
                  CONCURRENCY,
                  Type.INT,
                  4,
                  Range.between(1, 64),
                  Importance.LOW,
                  "Partitions delivered in parallel by one task (records of one partition, and so of"
                      + " one camera, are always delivered one after another, in order).")
              .define(
                  SNAPSHOT_URL_TEMPLATE,
                  Type.STRING,
                  "",
                  Importance.LOW,
                  "If set, alerts carry snapshotUrl: this URL with {topic}, {partition}, {offset}"
                      + " and {camera} of the evidence keyframe filled in."),
          "webhook",
          60_000L,
          "First retry delay; doubles per attempt, with jitter.");

  /**
   * Parses connector properties.
   *
   * @throws ConfigException naming the key
   */
  public static WebhookConfig parse(Map<String, String> props) {
    AbstractConfig c = new AbstractConfig(DEF, props, false);
    URI url;
    try {
      url = UrlGuard.parse(c.getString(URL));
    } catch (UrlGuard.RefusedUrlException e) {
      throw new ConfigException(URL + ": " + e.getMessage());
    }
    WebhookSecret secret;
    try {
      secret = WebhookSecret.parse(c.getPassword(SECRET).value());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SECRET + ": " + e.getMessage());
    }
    return new WebhookConfig(
        url,
        secret,
        c.getBoolean(ALLOW_PRIVATE),
        FilterConfig.filter(c),
        c.getInt(MAX_ATTEMPTS),
        Backoff.parse(c, "webhook"),
        Duration.ofMillis(c.getLong(RETRY_AFTER_MAX_MS)),
        Duration.ofMillis(c.getLong(CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(c.getLong(REQUEST_TIMEOUT_MS)),
        c.getInt(CONCURRENCY),
        c.getString(SNAPSHOT_URL_TEMPLATE));
  }

  @Override
  public String toString() {
    return "WebhookConfig[url="
        + UrlGuard.origin(url)
        + ", allowPrivate="
        + allowPrivate
        + ", filter="
        + filter
        + ", maxAttempts="
        + maxAttempts
        + ", backoff="
        + backoff
        + "]";
  }
}
