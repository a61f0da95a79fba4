package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.sinks.connect.payload.Notification;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sender against receivers that misbehave on the wire (raw sockets, no HTTP server). */
class WebhookSenderTest {
  static {
    PinnedHttp.enable();
  }

  /** Longer than any honest attempt here (1 s request timeout), far shorter than "forever". */
  private static final Duration HANG = Duration.ofSeconds(20);

  private static final Notification ALERT =
      new Notification(
          "alert",
          "a-1",
          "door",
          "{\"type\":\"alert\"}".getBytes(StandardCharsets.UTF_8),
          null,
          null);

  private static WebhookSender sender(String url, UrlGuard.Resolver resolver) {
    Map<String, String> p = new HashMap<>();
    p.put(WebhookConfig.URL, url);
    p.put(WebhookConfig.SECRET, WebhookSecret.generate());
    p.put(WebhookConfig.ALLOW_PRIVATE, "true");
    p.put(WebhookConfig.REQUEST_TIMEOUT_MS, "1000");
    return new WebhookSender(WebhookConfig.parse(p), Clock.systemUTC(), resolver);
  }

  private static WebhookSender sender(RawReceiver r) {
    return sender("http://127.0.0.1:" + r.port() + "/hook", UrlGuard.Resolver.SYSTEM);
  }

  @Test
  void a2xxWhoseBodyStallsAfterTheHeadersIsDeliveredWithoutWaitingForTheBody() throws Exception {
    try (RawReceiver r = RawReceiver.answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        WebhookSender s = sender(r)) {
      Delivery d = assertTimeoutPreemptively(HANG, () -> s.send(ALERT));
      assertEquals(Delivery.Kind.DELIVERED, d.kind(), d.detail());
    }
  }

  @Test
  void anErrorWhoseBodyStallsEndsAtTheRequestTimeoutKeepingItsStatus() throws Exception {
    try (RawReceiver r =
            RawReceiver.answering(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\nbusy");
        WebhookSender s = sender(r)) {
      Delivery d = assertTimeoutPreemptively(HANG, () -> s.send(ALERT));
      assertEquals(Delivery.Kind.RETRY, d.kind());
      assertTrue(d.detail().startsWith("HTTP 503 from http://127.0.0.1:"), d.detail());
      assertTrue(d.detail().contains("body not received within PT1S"), d.detail());
    }
  }

  @Test
  void aReceiverThatNeverAnswersIsARetryAfterTheRequestTimeout() throws Exception {
    try (RawReceiver r = RawReceiver.answering((String) null);
        WebhookSender s = sender(r)) {
      Delivery d = assertTimeoutPreemptively(HANG, () -> s.send(ALERT));
      assertEquals(Delivery.Kind.RETRY, d.kind());
      assertTrue(d.detail().startsWith("no answer from"), d.detail());
    }
  }

  @Test
  void aHugeErrorBodyIsReadOnlyAsFarAsTheExcerpt() throws Exception {
    byte[] head = "HTTP/1.1 400 Bad Request\r\nContent-Length: 8000000\r\n\r\n".getBytes();
    byte[] answer = new byte[head.length + 1_000_000]; // the rest of the 8 MB never comes
    System.arraycopy(head, 0, answer, 0, head.length);
    java.util.Arrays.fill(answer, head.length, answer.length, (byte) 'x');
    try (RawReceiver r = RawReceiver.answering(answer);
        WebhookSender s = sender(r)) {
      Delivery d = assertTimeoutPreemptively(HANG, () -> s.send(ALERT));
      assertEquals(Delivery.Kind.PERMANENT, d.kind());
      assertTrue(d.detail().endsWith("x".repeat(10) + "..."), d.detail());
      assertTrue(d.detail().length() < WebhookSender.EXCERPT_BYTES + 100, d.detail());
    }
  }

  @Test
  void theConnectionGoesToTheCheckedAddressWithTheOriginalHostHeader() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // A name DNS cannot answer: only the checked address can have been connected to.
    UrlGuard.Resolver table =
        host -> {
          lookups.incrementAndGet();
          assertEquals("receiver.invalid", host);
          return new InetAddress[] {InetAddress.getLoopbackAddress()};
        };
    try (RawReceiver r = RawReceiver.answering("HTTP/1.1 204 No Content\r\n\r\n");
        WebhookSender s = sender("http://receiver.invalid:" + r.port() + "/hook?k=1", table)) {
      Delivery d = assertTimeoutPreemptively(HANG, () -> s.send(ALERT));
      assertEquals(Delivery.Kind.DELIVERED, d.kind(), d.detail());
      assertEquals(1, lookups.get());
      String head = r.heads().get(0);
      assertTrue(head.startsWith("POST /hook?k=1 HTTP/1.1\r\n"), head);
      assertTrue(head.contains("\r\nHost: receiver.invalid:" + r.port() + "\r\n"), head);
    }
  }

  @Test
  void anIdThatCannotBeAHeaderIsRefusedPermanentlyWithoutARequest() throws Exception {
    Notification crlf =
        new Notification("alert", "a\r\nX-Injected: 1", "door", new byte[0], null, null);
    try (RawReceiver r = RawReceiver.answering("HTTP/1.1 204 No Content\r\n\r\n");
        WebhookSender s = sender(r)) {
      Delivery d = s.send(crlf);
      assertEquals(Delivery.Kind.PERMANENT, d.kind());
      assertTrue(d.detail().startsWith("cannot build the request"), d.detail());
      assertTrue(r.heads().isEmpty());
    }
  }

  @Test
  void retryAfterZeroOrAPastDateIsFlooredAtTheBackoffNotATightLoop() throws Exception {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));
    try (WebhookSender s = sender("http://127.0.0.1:9/", UrlGuard.Resolver.SYSTEM)) {
      long zero = s.retryAfterMillis(java.util.Optional.of("0")).orElseThrow();
      long past =
          s.retryAfterMillis(java.util.Optional.of("Wed, 21 Oct 2015 07:28:00 GMT")).orElseThrow();
      assertEquals(0, zero);
      assertEquals(0, past);
      for (int attempt = 1; attempt <= 8; attempt++) {
        long floor = Math.min(60_000, 500L << (attempt - 1)) / 2;
        assertTrue(b.delayMillis(attempt, zero) >= floor, "attempt " + attempt);
        assertTrue(b.delayMillis(attempt, past) >= floor, "attempt " + attempt);
      }
      // A longer Retry-After is honoured as asked.
      assertEquals(120_000, b.delayMillis(1, 120_000));
    }
  }
}
