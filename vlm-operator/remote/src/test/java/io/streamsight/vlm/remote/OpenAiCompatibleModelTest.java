package io.streamsight.vlm.remote;

import static io.streamsight.vlm.remote.FakeModelServer.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.log.CapturedLog;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.ScoreMethod;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The remote model against a local HTTP double of a cloud API (real sockets, real SDK). */
@Timeout(60)
class OpenAiCompatibleModelTest {
  private FakeModelServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeModelServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Short deadlines so fault paths finish quickly. */
  private RemoteModelConfig config(int maxRetries, int breakerFailures) {
    return config(maxRetries, breakerFailures, Duration.ofSeconds(30));
  }

  /**
   * @param breakerOpenFor long enough that the circuit cannot close between two calls of a test on
   *     a loaded machine, unless the test waits for it
   */
  private RemoteModelConfig config(int maxRetries, int breakerFailures, Duration breakerOpenFor) {
    return new RemoteModelConfig(
        server.baseUrl(),
        "test-vlm",
        null,
        null,
        4,
        // short, yet long enough for a first request's class loading on a loaded machine
        Duration.ofSeconds(3),
        maxRetries,
        Duration.ofMillis(200),
        2,
        256,
        breakerFailures,
        breakerOpenFor);
  }

  private static byte[] jpeg(int w, int h, Color color) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  private static List<String> imageUrls(JsonNode request) {
    List<String> urls = new ArrayList<>();
    for (JsonNode part : request.path("messages").path(0).path("content")) {
      if ("image_url".equals(part.path("type").asText())) {
        urls.add(part.path("image_url").path("url").asText());
      }
    }
    return urls;
  }

  @Test
  void describeSendsTheWindowAsDataUrlsWithinTheImageBudgetAndMapsUsage() throws Exception {
    server.then(
        FakeModelServer.answer(req -> completion("A red car parks.", "stop", 1234, 7, null)));
    List<byte[]> window =
        List.of(jpeg(640, 360, Color.RED), jpeg(64, 64, Color.GREEN), jpeg(1920, 1080, Color.BLUE));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      VlmResult r =
          model.describe(
              window,
              "Describe what happens.",
              GenerationOptions.greedy(40, ImageBudget.PUBLISHED));

      assertEquals(FinishReason.STOP, r.finishReason(), String.valueOf(r.error()));
      assertEquals("A red car parks.", r.text());
      assertEquals(1234, r.promptTokens());
      assertEquals(7, r.generatedTokens());
      assertTrue(r.timings().totalMillis() > 0);
      assertNull(r.scoreMethod());

      JsonNode sent = server.chatHits().get(0).body();
      assertEquals("test-vlm", sent.path("model").asText());
      assertEquals(40, sent.path("max_tokens").asInt());
      assertEquals(0.0, sent.path("temperature").asDouble());
      assertEquals("Describe what happens.", FakeModelServer.lastText(sent));
      List<String> urls = imageUrls(sent);
      // maxImages 2 of 3 frames: the first and the last of the window
      assertEquals(2, urls.size());
      for (String url : urls) {
        assertTrue(url.startsWith("data:image/jpeg;base64,"), url.substring(0, 30));
      }
      BufferedImage first = decode(urls.get(0));
      BufferedImage last = decode(urls.get(1));
      assertEquals(256, first.getWidth()); // 640x360 scaled to the 256-px edge
      assertEquals(144, first.getHeight());
      assertTrue(new Color(first.getRGB(10, 10)).getRed() > 200);
      assertEquals(256, last.getWidth());
      assertTrue(new Color(last.getRGB(10, 10)).getBlue() > 200);
      // no key configured: no Authorization header at all (not the SDK's placeholder)
      assertNull(server.chatHits().get(0).authorization());
    }
  }

  private static BufferedImage decode(String dataUrl) throws Exception {
    String b64 = dataUrl.substring(dataUrl.indexOf(',') + 1);
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
  }

  @Test
  void aResponseCutAtMaxTokensSaysSo() throws Exception {
    server.then(FakeModelServer.answer(req -> completion("A long", "length", 50, 2, null)));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      VlmResult r = model.ask(List.of(), "What?", GenerationOptions.greedy(2, null));
      assertEquals(FinishReason.MAX_TOKENS, r.finishReason());
      assertEquals("A long", r.text());
    }
  }

  @Test
  void scoreFoldsTheYesAndNoSpellingsOfTheFirstTokensTopLogprobs() throws Exception {
    server.then(
        FakeModelServer.answer(
            req ->
                completion(
                    "Yes",
                    "length",
                    900,
                    1,
                    new Object[] {
                      "Yes", -0.4, " yes", -2.0, "No", -1.5, "The", -3.0, "no", -4.0
                    })));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      VlmResult r = model.score(List.of(jpeg(32, 32, Color.RED)), "Is a person visible?", null);

      double yes = Math.exp(-0.4) + Math.exp(-2.0);
      double no = Math.exp(-1.5) + Math.exp(-4.0);
      assertEquals(FinishReason.SCORED, r.finishReason(), String.valueOf(r.error()));
      assertEquals(yes / (yes + no), r.pYes(), 1e-9);
      assertEquals(ScoreMethod.LOGPROBS, r.scoreMethod());
      assertEquals(900, r.promptTokens());
      JsonNode sent = server.chatHits().get(0).body();
      assertEquals(1, sent.path("max_tokens").asInt());
      assertTrue(sent.path("logprobs").asBoolean());
      assertEquals(ChatTranslator.TOP_LOGPROBS, sent.path("top_logprobs").asInt());
      assertTrue(FakeModelServer.lastText(sent).startsWith("Is a person visible?"));
    }
  }

  @Test
  void aServerWithoutLogprobsIsScoredFromTheAnswersTextAndSaysSo() throws Exception {
    server.then(
        FakeModelServer.answer(req -> completion("No.", "stop", 10, 1, null)),
        FakeModelServer.answer(req -> completion("Yes", "stop", 10, 1, null)),
        FakeModelServer.answer(req -> completion("Maybe", "stop", 10, 1, null)));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      VlmResult no = model.score(List.of(), "Is it raining?", null);
      VlmResult yes = model.score(List.of(), "Is it raining?", null);
      VlmResult maybe = model.score(List.of(), "Is it raining?", null);

      assertEquals(0.0, no.pYes());
      assertEquals(ScoreMethod.TEXT, no.scoreMethod());
      assertEquals(1.0, yes.pYes());
      assertEquals(ScoreMethod.TEXT, yes.scoreMethod());
      // anything else is a failed score, never a "no"
      assertEquals(FinishReason.ERROR, maybe.finishReason());
      assertTrue(Double.isNaN(maybe.pYes()));
      assertTrue(maybe.error().contains("not yes or no"), maybe.error());
    }
  }

  @Test
  void aServerThatRefusesLogprobsIsScoredFromTextWithoutThem() throws Exception {
    server.fallback =
        (ex, req) -> {
          if (req.has("logprobs")) {
            FakeModelServer.send(
                ex,
                400,
                "{\"error\":{\"message\":\"logprobs is not supported with this model\","
                    + "\"type\":\"invalid_request_error\",\"param\":\"logprobs\"}}",
                Map.of());
          } else {
            FakeModelServer.send(ex, 200, completion("Yes", "length", 5, 1, null), Map.of());
          }
        };
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 1), null)) {
      VlmResult first = model.score(List.of(), "Is the gate open?", null);
      VlmResult second = model.score(List.of(), "Is the gate open?", null);

      assertEquals(1.0, first.pYes(), String.valueOf(first.error()));
      assertEquals(ScoreMethod.TEXT, first.scoreMethod());
      assertEquals(ScoreMethod.TEXT, second.scoreMethod());
      // asked once with logprobs, then never again
      List<Boolean> asked = server.chatHits().stream().map(h -> h.body().has("logprobs")).toList();
      assertEquals(List.of(true, false, false), asked);
    }
  }

  @Test
  void a429IsRetriedAfterTheServersRetryAfter() throws Exception {
    server.then(FakeModelServer.status(429, Map.of("Retry-After", "1")));
    RemoteModelConfig c = config(2, 5);
    c = withBackoff(c, Duration.ofSeconds(3));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(c, null)) {
      VlmResult r = model.ask(List.of(), "Anyone there?", null);

      assertEquals(FinishReason.STOP, r.finishReason(), String.valueOf(r.error()));
      assertEquals("Anyone there?", r.text());
      List<FakeModelServer.Hit> hits = server.chatHits();
      assertEquals(2, hits.size());
      long waitedMillis = (hits.get(1).atNanos() - hits.get(0).atNanos()) / 1_000_000;
      assertTrue(waitedMillis >= 950, "retried after " + waitedMillis + " ms, Retry-After was 1 s");
    }
  }

  @Test
  void retryAfterZeroDoesNotMakeTheClientSpin() throws Exception {
    // 429, not 503: OkHttp itself repeats a 503 with Retry-After 0 once, at once, before we see it
    server.then(
        FakeModelServer.status(429, Map.of("Retry-After", "0")),
        FakeModelServer.status(429, Map.of("Retry-After", "0")));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(3, 5), null)) {
      VlmResult r = model.ask(List.of(), "Up?", null);

      assertEquals(FinishReason.STOP, r.finishReason(), String.valueOf(r.error()));
      List<FakeModelServer.Hit> hits = server.chatHits();
      assertEquals(3, hits.size());
      for (int i = 1; i < hits.size(); i++) {
        long gap = (hits.get(i).atNanos() - hits.get(i - 1).atNanos()) / 1_000_000;
        assertTrue(gap >= RetryDelay.RETRY_AFTER_FLOOR.toMillis() - 5, "gap " + gap + " ms");
      }
    }
  }

  @Test
  void fiveHundredsUntilTheRetriesAreSpentFailTheRequest() throws Exception {
    server.fallback = FakeModelServer.status(500, Map.of());
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(2, 10), null)) {
      VlmResult r = model.ask(List.of(), "Hello?", null);

      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(r.error().contains("HTTP 500"), r.error());
      assertTrue(r.error().contains("3 attempts"), r.error());
      assertEquals(3, server.chatHits().size());
    }
  }

  @Test
  void aClientErrorFailsThatRequestAloneWithoutRetries() throws Exception {
    server.then(FakeModelServer.status(400, Map.of()));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(3, 1), null)) {
      VlmResult bad = model.ask(List.of(), "first", null);
      VlmResult next = model.ask(List.of(), "second", null);

      assertEquals(FinishReason.ERROR, bad.finishReason());
      assertTrue(bad.error().contains("HTTP 400"), bad.error());
      // not retried, and a rejected request does not open a one-failure circuit
      assertEquals("second", next.text());
      assertEquals(2, server.chatHits().size());
    }
  }

  @Test
  void aStalledBodyTimesOutWithinTheDeadline() throws Exception {
    server.then(server.stalledBody());
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      long start = System.nanoTime();
      VlmResult r = model.ask(List.of(), "Slow?", null);
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(
          r.error().toLowerCase().contains("timeout") || r.error().contains("timed out"),
          r.error());
      // deadline 3 s; generous slack for a loaded machine, far below the stall (30 s)
      assertTrue(millis < 12_000, "took " + millis + " ms");
    }
  }

  @Test
  void malformedJsonFailsTheRequestNamingIt() throws Exception {
    server.then(
        FakeModelServer.json(200, "{\"choices\": [ this is not json", Map.of()),
        FakeModelServer.json(
            200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}", Map.of()),
        FakeModelServer.json(200, "{\"id\":\"x\",\"choices\":\"nope\"}", Map.of()));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(2, 1), null)) {
      VlmResult garbage = model.ask(List.of(), "a", null);
      VlmResult empty = model.ask(List.of(), "b", null);
      VlmResult wrongType = model.ask(List.of(), "c", null);
      VlmResult fine = model.ask(List.of(), "d", null);

      assertEquals(FinishReason.ERROR, garbage.finishReason());
      assertTrue(garbage.error().contains("malformed response"), garbage.error());
      assertEquals(FinishReason.ERROR, empty.finishReason());
      assertTrue(empty.error().contains("no choices"), empty.error());
      assertEquals(FinishReason.ERROR, wrongType.finishReason());
      assertTrue(wrongType.error().contains("malformed response"), wrongType.error());
      // none was retried, and the circuit (one failure opens it) stayed closed
      assertEquals("d", fine.text());
      assertEquals(4, server.chatHits().size());
    }
  }

  @Test
  void anOversizedResponseFailsTheRequestNamingTheLimit() throws Exception {
    String huge =
        completion("x".repeat((int) ServerTransport.MAX_RESPONSE_BYTES + 10), "stop", 1, 1, null);
    server.then(FakeModelServer.json(200, huge, Map.of()));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(config(0, 5), null)) {
      VlmResult r = model.ask(List.of(), "big", null);
      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(
          r.error().contains("larger than " + ServerTransport.MAX_RESPONSE_BYTES), r.error());
    }
  }

  @Test
  void theCircuitOpensAfterConsecutiveFailuresShedsFastAndRecovers() throws Exception {
    server.fallback = FakeModelServer.status(502, Map.of());
    try (CapturedLog log = CapturedLog.start();
        OpenAiCompatibleModel model =
            new OpenAiCompatibleModel(config(0, 2, Duration.ofMillis(1500)), null)) {
      assertEquals(FinishReason.ERROR, model.ask(List.of(), "1", null).finishReason());
      assertEquals(FinishReason.ERROR, model.ask(List.of(), "2", null).finishReason());

      ModelUnavailableException open =
          assertThrows(ModelUnavailableException.class, () -> model.ask(List.of(), "3", null));
      assertEquals("test-vlm", open.modelId());
      assertTrue(open.getMessage().contains("circuit open"), open.getMessage());
      assertEquals(2, server.chatHits().size()); // shed without asking the server
      assertTrue(log.text().contains("circuit open"), log.text());

      server.fallback = FakeModelServer.echo();
      VlmResult back =
          Await.until(
              "the circuit to let a trial through after breakerOpenFor",
              Duration.ofSeconds(20),
              () -> {
                try {
                  return model.ask(List.of(), "4", null);
                } catch (ModelUnavailableException stillOpen) {
                  return null;
                }
              },
              r -> r != null);
      assertEquals("4", back.text());
      // closed again: a batch goes through concurrently
      List<VlmResult> batch =
          model.run(
              List.of(
                  new VlmRequest(Task.ASK, List.of(), "5", null),
                  new VlmRequest(Task.ASK, List.of(), "6", null)));
      assertEquals(List.of("5", "6"), batch.stream().map(VlmResult::text).toList());
    }
  }

  @Test
  void aBatchRunsConcurrentlyWithinMaxConcurrentAndKeepsRequestOrder() throws Exception {
    server.latencyMillis = 150;
    List<VlmRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(new VlmRequest(Task.ASK, List.of(), "q" + i, null));
    }
    RemoteModelConfig c = config(0, 5);
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(c, null)) {
      List<VlmResult> results = model.run(requests);

      List<String> expected = requests.stream().map(VlmRequest::text).toList();
      assertEquals(expected, results.stream().map(VlmResult::text).toList());
      assertTrue(server.maxInFlight() <= c.maxConcurrent(), "in flight " + server.maxInFlight());
      assertTrue(server.maxInFlight() > 1, "requests overlapped: " + server.maxInFlight());
    }
  }

  @Test
  void theApiKeyIsSentAsBearerAndAppearsNowhereElse(@TempDir Path dir) throws Exception {
    String key = "sk-test-5f1d2c9a-never-print-me";
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "  " + key + "  \nsecond line ignored\n");
    RemoteModelConfig base = config(0, 1);
    RemoteModelConfig c =
        new RemoteModelConfig(
            base.baseUrl(),
            null, // resolved from GET /models, which must carry the key too
            keyFile.toString(),
            null,
            base.maxConcurrent(),
            base.timeout(),
            base.maxRetries(),
            base.maxBackoff(),
            base.maxImages(),
            base.maxImageEdge(),
            base.breakerFailures(),
            base.breakerOpenFor());
    try (CapturedLog log = CapturedLog.start();
        OpenAiCompatibleModel model = OpenAiCompatibleModel.open(c)) {
      assertEquals("test-vlm", model.modelId());
      assertEquals("ok", model.ask(List.of(), "ok", null).text());
      // a server quoting the credential it refused (OpenAI quotes a masked one)
      server.fallback =
          (ex, req) ->
              FakeModelServer.send(
                  ex,
                  401,
                  "{\"error\":{\"message\":\"Incorrect API key provided: "
                      + ex.getRequestHeaders().getFirst("Authorization")
                      + "\"}}",
                  Map.of());
      VlmResult denied = model.ask(List.of(), "denied", null);
      server.fallback = FakeModelServer.status(500, Map.of());
      VlmResult failed = model.ask(List.of(), "fails", null);
      ModelUnavailableException open =
          assertThrows(ModelUnavailableException.class, () -> model.ask(List.of(), "shed", null));

      for (FakeModelServer.Hit hit : server.hits) {
        assertEquals("Bearer " + key, hit.authorization(), hit.path());
      }
      for (String text :
          List.of(
              model.toString(),
              c.toString(),
              denied.error(),
              failed.error(),
              open.getMessage(),
              log.text())) {
        assertFalse(text.contains(key), text);
        assertFalse(text.contains("sk-test"), text);
      }
      assertTrue(denied.error().contains("HTTP 401"), denied.error());
      assertTrue(log.text().contains("circuit open"), "the log was captured: " + log.text());
    }
  }

  @Test
  void anUnreadableKeyFileFailsAtOpenNamingTheFile(@TempDir Path dir) {
    RemoteModelConfig base = config(0, 1);
    String missing = dir.resolve("no-such-key").toString();
    RemoteModelConfig c =
        new RemoteModelConfig(
            base.baseUrl(),
            "m",
            missing,
            null,
            1,
            base.timeout(),
            0,
            base.maxBackoff(),
            1,
            64,
            1,
            base.breakerOpenFor());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OpenAiCompatibleModel.open(c));
    assertTrue(e.getMessage().contains("apiKeyFile"), e.getMessage());
    assertTrue(e.getMessage().contains(missing), e.getMessage());
    assertTrue(server.hits.isEmpty());
  }

  @Test
  void withoutAModelNameTheServersOnlyModelIsUsedAndSeveralAreAnError() throws Exception {
    RemoteModelConfig base = config(0, 5);
    RemoteModelConfig unnamed = RemoteModelConfig.of(base.baseUrl(), null);
    server.models = List.of("Qwen/Qwen2.5-VL-7B-Instruct");
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(unnamed, null)) {
      assertEquals("Qwen/Qwen2.5-VL-7B-Instruct", model.modelId());
      model.ask(List.of(), "hi", null);
      assertEquals(
          "Qwen/Qwen2.5-VL-7B-Instruct", server.chatHits().get(0).body().path("model").asText());
    }
    server.models = List.of("llava", "qwen2.5vl");
    IllegalArgumentException several =
        assertThrows(
            IllegalArgumentException.class, () -> new OpenAiCompatibleModel(unnamed, null));
    assertTrue(several.getMessage().contains("llava"), several.getMessage());
    assertTrue(several.getMessage().contains("qwen2.5vl"), several.getMessage());
  }

  @Test
  void anUnreachableServerIsRetriedThenFailsAndOpensTheCircuit() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String deadUrl = "http://127.0.0.1:" + port + "/v1"; // nothing listens there any more
    RemoteModelConfig c =
        new RemoteModelConfig(
            deadUrl,
            "m",
            null,
            null,
            2,
            Duration.ofMillis(500),
            1,
            Duration.ofMillis(50),
            1,
            64,
            1,
            Duration.ofSeconds(30));
    try (OpenAiCompatibleModel model = new OpenAiCompatibleModel(c, null)) {
      VlmResult r = model.ask(List.of(), "anyone?", null);
      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(r.error().contains("2 attempts"), r.error());
      assertThrows(ModelUnavailableException.class, () -> model.ask(List.of(), "again?", null));
    }
  }

  private static RemoteModelConfig withBackoff(RemoteModelConfig c, Duration maxBackoff) {
    return new RemoteModelConfig(
        c.baseUrl(),
        c.model(),
        c.apiKeyFile(),
        c.apiKeyEnv(),
        c.maxConcurrent(),
        c.timeout(),
        c.maxRetries(),
        maxBackoff,
        c.maxImages(),
        c.maxImageEdge(),
        c.breakerFailures(),
        c.breakerOpenFor());
  }
}
