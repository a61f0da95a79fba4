package io.streamsight.console;

import static io.streamsight.console.ConsoleFixture.nowMicros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console's JSON API against a real broker: reads follow the topics, writes reach them. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ConsoleFixture console;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    console =
        new ConsoleFixture(
            broker, SearchBackend.NOT_CONFIGURED, SubscriptionsBackend.NOT_CONFIGURED);
  }

  @AfterAll
  void stop() throws Exception {
    console.close();
  }

  private static String camera() {
    return "cam-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void shouldShowPublishedSummaryStatusAndKeyframeInTheSnapshotAndStream() throws Exception {
    String cam = camera();
    ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    var stream =
        console.http.sendAsync(
            HttpRequest.newBuilder(console.uri("/api/events")).build(),
            HttpResponse.BodyHandlers.ofLines());
    var response = stream.get();
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(lines::add);
              } catch (java.io.UncheckedIOException e) {
                // the test closed the stream
              }
            });
    reader.setDaemon(true);
    reader.start();

    console.publish(Topics.STATUS, ConsoleFixture.status(cam, CameraState.ONLINE));
    KeyframeRef ref = console.publishKeyframe(cam, 1, nowMicros(), Color.BLUE);
    console.publish(
        Topics.SUMMARIES, ConsoleFixture.summary(cam, nowMicros(), "a blue scene", List.of(ref)));

    Await.until(
        "the summary on the live stream",
        Duration.ofSeconds(10),
        () -> lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("a blue scene")));
    assertTrue(lines.contains("event: summary"), lines::toString);
    JsonNode tile =
        Await.until(
            "the camera's tile",
            Duration.ofSeconds(10),
            () -> tile(json(console.get("/api/live")), cam),
            t -> t != null && t.path("keyframe").isObject() && t.path("status").isObject());
    assertEquals("ONLINE", tile.path("status").path("state").asText());
    assertEquals("a blue scene", tile.path("summary").path("text").asText());
    assertEquals(ref.getOffset(), tile.path("keyframe").path("offset").asLong());

    JsonNode page = json(console.get("/api/cameras/" + cam));
    assertEquals("a blue scene", page.path("summaries").get(0).path("text").asText());
    assertEquals(404, console.get("/api/cameras/cam-never-seen-" + cam).statusCode());
    assertEquals(400, console.get("/api/cameras/bad%2Fid").statusCode());
    response.body().close();
  }

  private static JsonNode tile(JsonNode live, String cam) {
    for (JsonNode t : live.path("cameras")) {
      if (t.path("cameraId").asText().equals(cam)) {
        return t;
      }
    }
    return null;
  }

  @Test
  void shouldServeKeyframeJpegsAsStoredAndNothingElse() throws Exception {
    String cam = camera();
    KeyframeRef ref = console.publishKeyframe(cam, 7, nowMicros(), Color.RED);
    HttpResponse<byte[]> img =
        console.http.send(
            HttpRequest.newBuilder(
                    console.uri(
                        "/api/keyframes/cameras.keyframes/"
                            + ref.getPartition()
                            + "/"
                            + ref.getOffset()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, img.statusCode());
    assertEquals("image/jpeg", img.headers().firstValue("Content-Type").orElse(""));
    assertEquals("nosniff", img.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertArrayEquals(FrameRecords.solidJpeg(Color.RED, 320, 180), img.body());

    // Not a JPEG (hand-published): refused rather than served as image/jpeg.
    Keyframe notJpeg =
        FrameRecords.keyframe(FrameRecords.frame(cam, 8, nowMicros()).build())
            .setJpeg(ByteBuffer.wrap("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)))
            .build();
    var m = console.publish(Topics.KEYFRAMES, notJpeg);
    assertEquals(
        404,
        console
            .get("/api/keyframes/cameras.keyframes/" + m.partition() + "/" + m.offset())
            .statusCode());
    assertEquals(404, console.get("/api/keyframes/cameras.frames/0/0").statusCode());
    assertEquals(404, console.get("/api/keyframes/cameras.keyframes/0/999999999").statusCode());
    assertEquals(400, console.get("/api/keyframes/cameras.keyframes/x/1").statusCode());
  }

  @Test
  void shouldRefuseWritesWithoutTheToken() throws Exception {
    String id = "no-token-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"cameraGlob\":\"cam-*\",\"question\":\"Is the gate open?\"}";
    HttpResponse<String> r = console.send("PUT", "/api/rules/" + id, body, null);
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(401, console.send("PUT", "/api/rules/" + id, body, "wrong-token").statusCode());
    assertEquals(401, console.send("DELETE", "/api/rules/" + id, null, null).statusCode());
    assertEquals(
        401,
        console
            .send("POST", "/api/questions", "{\"cameraId\":\"cam-1\",\"question\":\"Hi?\"}", null)
            .statusCode());
    // A write that was allowed afterwards arrives; the refused one never did.
    String ok = "with-token-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        200, console.send("PUT", "/api/rules/" + ok, body, console.tokenValue()).statusCode());
    List<ConsumerRecord<String, AlertRule>> rules =
        Await.until(
            "the allowed rule on vlm.rules",
            Duration.ofSeconds(20),
            () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES),
            l -> l.stream().anyMatch(rec -> ok.equals(rec.key())));
    assertFalse(rules.stream().anyMatch(rec -> id.equals(rec.key())));
  }

  @Test
  void shouldStoreValidRulesOnTheRulesTopicAndRefuseBadOnesNamingTheField() throws Exception {
    String id = "gate-" + UUID.randomUUID().toString().substring(0, 8);
    String t = console.tokenValue();
    assertRefused(
        console.send(
            "PUT",
            "/api/rules/" + id,
            "{\"cameraGlob\":\"cam-*\",\"question\":\"Q?\",\"threshold\":1.5}",
            t),
        "threshold");
    assertRefused(
        console.send(
            "PUT", "/api/rules/" + id, "{\"cameraGlob\":\"cam/*\",\"question\":\"Q?\"}", t),
        "cameraGlob");
    assertRefused(
        console.send("PUT", "/api/rules/" + id, "{\"cameraGlob\":\"cam-*\",\"question\":\"\"}", t),
        "question");
    assertRefused(
        console.send(
            "PUT",
            "/api/rules/" + id,
            "{\"id\":\"other\",\"cameraGlob\":\"cam-*\",\"question\":\"Q?\"}",
            t),
        "id");
    assertRefused(
        console.send(
            "PUT",
            "/api/rules/" + id,
            "{\"cameraGlob\":\"cam-*\",\"question\":\"Q?\",\"cooldownMicros\":90000000000}",
            t),
        "cooldownMicros");
    assertRefused(
        console.send(
            "PUT",
            "/api/rules/" + id,
            "{\"cameraGlob\":\"cam-*\",\"question\":\"Q?\",\"colour\":1}",
            t),
        "colour");
    assertEquals(400, console.send("PUT", "/api/rules/" + id, "not json", t).statusCode());

    HttpResponse<String> ok =
        console.send(
            "PUT",
            "/api/rules/" + id,
            "{\"cameraGlob\":\"cam-*\",\"question\":\"Is the gate open?\",\"threshold\":0.7,"
                + "\"cooldownMicros\":30000000,\"severity\":\"HIGH\",\"enabled\":false}",
            t);
    assertEquals(200, ok.statusCode(), ok.body());
    AlertRule stored =
        Await.until(
                "the rule on vlm.rules",
                Duration.ofSeconds(20),
                () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES),
                l -> l.stream().anyMatch(rec -> id.equals(rec.key())))
            .stream()
            .filter(rec -> id.equals(rec.key()))
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals("Is the gate open?", stored.getQuestion());
    assertEquals(0.7, stored.getThreshold());
    assertEquals(30_000_000L, stored.getCooldownMicros());
    assertEquals(Severity.HIGH, stored.getSeverity());
    assertFalse(stored.getEnabled());
    Await.until(
        "the rule in GET /api/rules",
        Duration.ofSeconds(10),
        () -> console.get("/api/rules").body().contains("\"" + id + "\""));

    assertEquals(200, console.send("DELETE", "/api/rules/" + id, null, t).statusCode());
    Await.until(
        "the rule gone from GET /api/rules",
        Duration.ofSeconds(10),
        () -> !console.get("/api/rules").body().contains("\"" + id + "\""));
    List<ConsumerRecord<String, AlertRule>> all =
        CommittedRecords.read(console.broker.bootstrapServers(), Topics.RULES);
    ConsumerRecord<String, AlertRule> last =
        all.stream().filter(rec -> id.equals(rec.key())).reduce((a, b) -> b).orElseThrow();
    assertNull(last.value(), "a tombstone deletes the rule");
  }

  private void assertRefused(HttpResponse<String> r, String field) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(field, json(r).path("field").asText(), r.body());
  }

  @Test
  void shouldSendQuestionsAndShowTheirAnswers() throws Exception {
    String cam = camera();
    String t = console.tokenValue();
    assertRefused(
        console.send("POST", "/api/questions", "{\"cameraId\":\"bad id\",\"question\":\"Q?\"}", t),
        "cameraId");
    assertRefused(
        console.send(
            "POST",
            "/api/questions",
            "{\"cameraId\":\"" + cam + "\",\"question\":\"a\\u0007b\"}",
            t),
        "question");
    assertRefused(
        console.send(
            "POST",
            "/api/questions",
            "{\"cameraId\":\"" + cam + "\",\"question\":\"Q?\",\"timeoutSeconds\":0}",
            t),
        "timeoutSeconds");
    HttpResponse<String> r =
        console.send(
            "POST",
            "/api/questions",
            "{\"cameraId\":\"" + cam + "\",\"question\":\"What colour is it?\"}",
            t);
    assertEquals(202, r.statusCode(), r.body());
    String queryId = json(r).path("queryId").asText();
    Query sent =
        Await.until(
                "the question on vlm.queries",
                Duration.ofSeconds(20),
                () -> CommittedRecords.read(console.broker.bootstrapServers(), Topics.QUERIES),
                l -> l.stream().anyMatch(rec -> queryId.equals(rec.key())))
            .stream()
            .filter(rec -> queryId.equals(rec.key()))
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals(cam, sent.getCameraId());
    assertEquals("What colour is it?", sent.getQuestion());
    assertEquals("PENDING", json(console.get("/api/questions/" + queryId)).path("status").asText());

    console.publish(
        Topics.ANSWERS, ConsoleFixture.answer(queryId, cam, sent.getQuestion(), "blue"));
    JsonNode answered =
        Await.until(
            "the answer",
            Duration.ofSeconds(10),
            () -> json(console.get("/api/questions/" + queryId)),
            j -> j.path("status").asText().equals("ANSWERED"));
    assertEquals("blue", answered.path("answer").path("text").asText());
  }

  @Test
  void shouldFilterAlerts() throws Exception {
    String cam = camera();
    long t0 = nowMicros();
    console.publish(Topics.ALERTS, ConsoleFixture.alert(cam, "blue", Severity.HIGH, t0, List.of()));
    console.publish(
        Topics.ALERTS, ConsoleFixture.alert(cam, "red", Severity.LOW, t0 + 10_000_000, List.of()));
    Await.until(
        "both alerts",
        Duration.ofSeconds(10),
        () -> json(console.get("/api/alerts?camera=" + cam)).path("alerts").size() == 2);
    JsonNode high = json(console.get("/api/alerts?camera=" + cam + "&severity=high"));
    assertEquals(1, high.path("alerts").size());
    assertEquals("blue", high.path("alerts").get(0).path("ruleId").asText());
    assertEquals(
        "red",
        json(console.get("/api/alerts?camera=" + cam + "&rule=red"))
            .path("alerts")
            .get(0)
            .path("ruleId")
            .asText());
    String since = java.time.Instant.ofEpochMilli(t0 / 1000 + 15_000).toString();
    JsonNode late = json(console.get("/api/alerts?camera=" + cam + "&since=" + since));
    assertEquals(1, late.path("alerts").size(), late.toString());
    assertEquals(400, console.get("/api/alerts?severity=urgent").statusCode());
    assertEquals(400, console.get("/api/alerts?since=yesterday").statusCode());
    assertEquals(400, console.get("/api/alerts?limit=0").statusCode());
  }

  @Test
  void shouldAnswer503WithoutArchiveOrSubscriptions() throws Exception {
    HttpResponse<String> s = console.get("/api/search?q=red+car");
    assertEquals(503, s.statusCode());
    assertTrue(json(s).path("error").asText().contains("--archive"), s.body());
    assertEquals(400, console.get("/api/search").statusCode());
    assertEquals(503, console.get("/api/subscriptions").statusCode());
    JsonNode health = json(console.get("/api/health"));
    assertTrue(health.path("ready").asBoolean());
    assertFalse(health.path("search").asBoolean());
  }

  @Test
  void shouldDescribeEveryRouteInTheOpenApiDocument() throws Exception {
    JsonNode doc = json(console.get("/api/openapi.json"));
    assertEquals("3.0.3", doc.path("openapi").asText());
    for (var r : console.server.routes()) {
      JsonNode path = doc.path("paths").path(r.pattern());
      assertTrue(path.isObject(), "OpenAPI document lacks path " + r.pattern());
      assertTrue(
          path.has(r.method().toLowerCase(Locale.ROOT)),
          "OpenAPI document lacks " + r.method() + " " + r.pattern());
      if (r.write()) {
        assertTrue(
            path.path(r.method().toLowerCase(Locale.ROOT)).has("security"),
            r.pattern() + " is a write: the document must say it needs the token");
      }
    }
    long documented =
        Stream.of(doc.path("paths").properties().toArray(new java.util.Map.Entry<?, ?>[0]))
            .mapToLong(e -> ((JsonNode) e.getValue()).size())
            .sum();
    assertEquals(console.server.routes().size(), documented, "documented operations vs routes");
  }

  @Test
  void shouldSendSecurityHeadersAndServeTheAssets() throws Exception {
    HttpResponse<String> page = console.get("/");
    assertEquals(200, page.statusCode());
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
    assertTrue(page.body().contains("/static/app.js"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN");
    assertEquals(200, console.get("/static/app.js").statusCode());
    assertEquals(200, console.get("/search?q=x").statusCode());
    assertEquals(404, console.get("/static/../pom.xml").statusCode());
    assertEquals(404, console.get("/nope").statusCode());
    assertEquals(405, console.send("POST", "/api/live", "{}", console.tokenValue()).statusCode());
  }

  @Test
  void shouldRefuseForeignHostHeadersOnLoopback() throws Exception {
    // A page whose own host name resolves to 127.0.0.1 (DNS rebinding) sends its own Host header.
    try (Socket s = new Socket("127.0.0.1", console.server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /api/live HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertTrue(status.contains(" 421 "), status);
    }
  }
}
