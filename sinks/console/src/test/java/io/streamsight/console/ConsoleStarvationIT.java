package io.streamsight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.search.SearchHit;
import io.streamsight.console.search.SearchRequest;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27 #9: whoever reaches the console cannot starve it. Raw sockets play the attackers:
 * half-open connections (a request line, then silence), a live-stream client that never reads, one
 * client holding every connection it may, a flood of slow searches. Through all of it {@code
 * /api/health} answers.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class ConsoleStarvationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short deadlines so the test sees them pass; everything else at its default. */
  private static ConsoleServing serving(String extra) {
    return ConfigBinder.load(
        "test",
        "headTimeout: 2s\nwriteTimeout: 2s\neventStreamBufferBytes: 65536\n" + extra,
        ConsoleServing.class,
        s -> s);
  }

  private static ConsoleFixture console(
      KafkaBroker broker, ConsoleServing serving, SearchBackend search) throws Exception {
    return new ConsoleFixture(
        broker, search, SubscriptionsBackend.NOT_CONFIGURED, c -> c.withServing(serving));
  }

  @Test
  void fortyEightHalfOpenConnectionsAndANonReadingStreamLeaveHealthAnswering(KafkaBroker broker)
      throws Exception {
    try (ConsoleFixture console = console(broker, serving(""), SearchBackend.NOT_CONFIGURED)) {
      int port = console.server.port();
      Socket stalledStream = new Socket();
      stalledStream.setReceiveBufferSize(4096); // before connect: a small window, soon full
      stalledStream.connect(new InetSocketAddress("127.0.0.1", port));
      send(stalledStream, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
      List<Socket> halfOpen = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        Socket s = new Socket("127.0.0.1", port);
        send(s, "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"); // no blank line
        halfOpen.add(s);
      }
      try {
        Await.until(
            "the live stream to be open",
            Duration.ofSeconds(10),
            () -> health(console).path("eventStreams").asInt() == 1);

        HttpResponse<String> h = get(console, "/api/health", Duration.ofSeconds(5));
        assertEquals(200, h.statusCode(), h.body());
        assertTrue(JSON.readTree(h.body()).path("ready").asBoolean(), h.body());
        assertEquals(200, get(console, "/api/live", Duration.ofSeconds(5)).statusCode());

        // Every half-open connection is closed at the head deadline, none answered.
        for (Socket s : halfOpen) {
          s.setSoTimeout(10_000);
          assertEquals(-1, readOrEnd(s.getInputStream()), "closed without an answer");
        }
        assertTrue(health(console).path("headTimeouts").asLong() >= 48, health(console)::toString);

        // The stream's client reads nothing while 2 MB of summaries are published: it is dropped.
        String text = "x".repeat(40_000);
        for (int i = 0; i < 50; i++) {
          console.publish(
              Topics.SUMMARIES,
              ConsoleFixture.summary(
                  "cam-flood", ConsoleFixture.nowMicros() + i, text + i, List.of()));
        }
        JsonNode after =
            Await.until(
                "the non-reading stream to be dropped",
                Duration.ofSeconds(30),
                () -> health(console),
                n -> n.path("eventStreams").asInt() == 0);
        assertEquals(1, after.path("eventStreamsDropped").asLong(), after.toString());
        assertEquals(200, get(console, "/api/health", Duration.ofSeconds(5)).statusCode());
      } finally {
        stalledStream.close();
        for (Socket s : halfOpen) {
          s.close();
        }
      }
    }
  }

  @Test
  void aClientOverItsConnectionLimitGets503WhileOtherClientsAreServed(KafkaBroker broker)
      throws Exception {
    try (ConsoleFixture console =
        console(broker, serving("maxConnectionsPerClient: 8\n"), SearchBackend.NOT_CONFIGURED)) {
      int port = console.server.port();
      // Linux routes all of 127.0.0.0/8 to loopback: 127.0.0.2 is another client address.
      InetAddress other = InetAddress.getByName("127.0.0.2");
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket s = new Socket("127.0.0.1", port, other, 0);
          send(s, "GET /api/live HTTP/1.1\r\n");
          held.add(s);
        }
        Await.until(
            "the eight connections to be counted",
            Duration.ofSeconds(10),
            () -> health(console).path("connectionsOpen").asInt() >= 8);
        try (Socket ninth = new Socket("127.0.0.1", port, other, 0)) {
          ninth.setSoTimeout(10_000);
          String status =
              new BufferedReader(
                      new InputStreamReader(ninth.getInputStream(), StandardCharsets.US_ASCII))
                  .readLine();
          assertTrue(status != null && status.contains(" 503 "), String.valueOf(status));
        }
        assertEquals(200, get(console, "/api/health", Duration.ofSeconds(5)).statusCode());
        assertEquals(200, get(console, "/api/live", Duration.ofSeconds(5)).statusCode());
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void slowSearchesBeyondTheirQueueGet503AndOrdinaryRequestsGoOn(KafkaBroker broker)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    SearchBackend slow =
        new SearchBackend() {
          @Override
          public List<SearchHit> search(SearchRequest request) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return List.of();
          }

          @Override
          public boolean configured() {
            return true;
          }
        };
    try (ConsoleFixture console =
        console(broker, serving("heavyThreads: 1\nheavyQueue: 1\n"), slow)) {
      CompletableFuture<HttpResponse<String>> first = getAsync(console, "/api/search?q=a");
      entered.await();
      CompletableFuture<HttpResponse<String>> queued = getAsync(console, "/api/search?q=b");
      Await.until(
          "the second search to wait in the heavy lane's queue",
          Duration.ofSeconds(20),
          () -> health(console).path("lanes").path("heavy").path("queued").asInt() == 1);
      HttpResponse<String> third = get(console, "/api/search?q=c", Duration.ofSeconds(10));
      assertEquals(503, third.statusCode(), third.body());
      assertTrue(third.body().contains("busy"), third.body());
      assertEquals(200, get(console, "/api/health", Duration.ofSeconds(5)).statusCode());
      assertEquals(200, get(console, "/api/live", Duration.ofSeconds(5)).statusCode());

      release.countDown();
      assertEquals(200, first.get().statusCode());
      assertEquals(200, queued.get().statusCode());
    }
  }

  @Test
  void aConsoleOpenedWithBindStillRefusesForeignHostHeaders(KafkaBroker broker) throws Exception {
    ConsoleServing named = ConsoleServing.defaults().withHostNames(List.of("console.example.lan"));
    try (ConsoleFixture console =
        new ConsoleFixture(
            broker,
            SearchBackend.NOT_CONFIGURED,
            SubscriptionsBackend.NOT_CONFIGURED,
            c -> c.withBind("0.0.0.0", 0).withServing(named))) {
      int port = console.server.port();

      assertTrue(status(port, "evil.example:" + port).contains(" 421 "), "a rebinding page");
      assertTrue(status(port, "console.example.lan:" + port).contains(" 200 "), "a named host");
      assertTrue(status(port, "127.0.0.1:" + port).contains(" 200 "), "loopback");
      assertTrue(status(port, "localhost:" + port).contains(" 200 "), "localhost");
    }
  }

  /** The status line for {@code GET /api/health} sent with {@code Host: host}. */
  private static String status(int port, String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      send(s, "GET /api/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      return new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The next byte, or -1 at the end (a reset counts as the end too). */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw e; // still open after the deadline: the assertion's failure
    } catch (IOException e) {
      return -1;
    }
  }

  private static JsonNode health(ConsoleFixture console) throws Exception {
    return JSON.readTree(get(console, "/api/health", Duration.ofSeconds(5)).body());
  }

  private static HttpResponse<String> get(ConsoleFixture console, String path, Duration timeout)
      throws IOException, InterruptedException {
    return console.http.send(
        HttpRequest.newBuilder(console.uri(path)).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(
      ConsoleFixture console, String path) {
    return console.http.sendAsync(
        HttpRequest.newBuilder(console.uri(path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
