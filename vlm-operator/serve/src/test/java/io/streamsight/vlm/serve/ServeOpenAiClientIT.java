package io.streamsight.vlm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamsight serve} on the fixture model, called by the official OpenAI Java client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeOpenAiClientIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "fixture";

  private Path modelDir;
  private ServeServer server;
  private OpenAIClient client;
  private VlmEngine reference;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    modelDir = VlmFixtureModel.write(tmp.resolve(MODEL));
    InferenceConfig shipped = ServeConfig.defaults(MODEL).inference();
    // A longer wait for company than shipped (20 ms), so the concurrent requests of the batching
    // test meet in one batch even on a loaded machine.
    InferenceConfig patient =
        new InferenceConfig(
            shipped.maxBatch(),
            Duration.ofMillis(250),
            shipped.queueCapacity(),
            shipped.asyncCapacity(),
            shipped.timeout(),
            shipped.retries(),
            shipped.retryDelay(),
            shipped.sheddingBudget(),
            shipped.sheddingClock());
    ServeConfig config =
        ServeConfig.defaults(MODEL)
            .withBind("127.0.0.1", 0)
            .withMaxBodyBytes(1 << 20)
            .withInference(patient);
    server = ServeServer.start(config, null, () -> VlmEngine.load(modelDir, EngineConfig.CPU));
    server.awaitReady(Duration.ofSeconds(60));
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.baseUrl().toString())
            .apiKey("unused-on-loopback")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(60))
            .build();
    reference = VlmEngine.load(modelDir, EngineConfig.CPU);
  }

  @AfterAll
  void stop() {
    client.close();
    server.close();
    reference.close();
  }

  static ChatCompletionContentPart image(String colour) {
    return ChatCompletionContentPart.ofImageUrl(
        ChatCompletionContentPartImage.builder()
            .imageUrl(
                ChatCompletionContentPartImage.ImageUrl.builder()
                    .url(SolidImages.dataUrl(SolidImages.jpeg(colour, 160, 90)))
                    .build())
            .build());
  }

  static ChatCompletionContentPart text(String t) {
    return ChatCompletionContentPart.ofText(
        ChatCompletionContentPartText.builder().text(t).build());
  }

  static ChatCompletionCreateParams describe(String colour) {
    return ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addUserMessageOfArrayOfContentParts(List.of(text("Describe the image."), image(colour)))
        .maxCompletionTokens(16)
        .temperature(0.0)
        .build();
  }

  @Test
  void shouldNameTheDominantColourOfAnImageWithUsage() {
    ChatCompletion c = client.chat().completions().create(describe("green"));
    assertEquals("green", c.choices().get(0).message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
    assertEquals(MODEL, c.model());
    var usage = c.usage().orElseThrow();
    assertTrue(usage.promptTokens() > 4, "prompt tokens " + usage.promptTokens());
    assertTrue(usage.completionTokens() >= 1);
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
    assertTrue(c.choices().get(0).logprobs().isEmpty(), "no logprobs unless asked");
  }

  @Test
  void shouldGiveFirstTokenTopLogprobsThatAgreeWithTheEnginesOwnScore() {
    String question = "Is the scene blue?";
    for (String colour : List.of("blue", "red")) {
      ChatCompletion c =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model(MODEL)
                      .addUserMessageOfArrayOfContentParts(
                          List.of(image(colour), image(colour), text(question)))
                      .maxCompletionTokens(1)
                      .temperature(0.0)
                      .logprobs(true)
                      .topLogprobs(5)
                      .build());
      List<ChatCompletionTokenLogprob> content =
          c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
      assertEquals(1, content.size());
      ChatCompletionTokenLogprob first = content.get(0);
      assertEquals(5, first.topLogprobs().size());
      // What a yes/no scorer does with a model server's answer: fold the variants of each word.
      double yes = 0;
      double no = 0;
      for (var t : first.topLogprobs()) {
        String word = t.token().strip();
        if (word.equalsIgnoreCase("yes")) {
          yes += Math.exp(t.logprob());
        } else if (word.equalsIgnoreCase("no")) {
          no += Math.exp(t.logprob());
        }
      }
      assertTrue(yes > 0 && no > 0, "yes and no among " + first.topLogprobs());
      double served = yes / (yes + no);
      List<byte[]> frames =
          List.of(SolidImages.jpeg(colour, 160, 90), SolidImages.jpeg(colour, 160, 90));
      double scored = reference.score(frames, question, ImageBudget.PUBLISHED).pYes();
      assertEquals(scored, served, 0.02, colour + ": served " + served + ", scored " + scored);
      assertEquals(colour.equals("blue") ? "Yes" : "No", first.token());
      assertEquals(first.token(), c.choices().get(0).message().content().orElseThrow());
    }
  }

  @Test
  void shouldListTheServedModel() {
    var models = client.models().list().data();
    assertEquals(List.of(MODEL), models.stream().map(m -> m.id()).toList());
  }

  @Test
  void shouldBatchConcurrentRequestsIntoOneEngineRun() {
    List<String> colours =
        List.of("red", "green", "blue", "yellow", "white", "black", "red", "blue");
    List<CompletableFuture<ChatCompletion>> answers = new ArrayList<>();
    for (String colour : colours) {
      answers.add(client.async().chat().completions().create(describe(colour)));
    }
    for (int i = 0; i < colours.size(); i++) {
      assertEquals(
          colours.get(i), answers.get(i).join().choices().get(0).message().content().orElseThrow());
    }
    assertTrue(server.maxBatchSize() > 1, "largest batch " + server.maxBatchSize());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode openAiError(HttpResponse<String> r) throws Exception {
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertTrue(e != null && e.isObject(), r.body());
    assertEquals(Set.of("message", "type", "param", "code"), fieldNames(e), r.body());
    assertFalse(e.get("message").asText().isBlank());
    return e;
  }

  static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new java.util.HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void shouldAnswerBadRequestsInOpenAisErrorShape() throws Exception {
    HttpResponse<String> bad =
        post("/chat/completions", "{\"model\": \"fixture\", \"messages\": [");
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_request_error", openAiError(bad).get("type").asText());

    HttpResponse<String> unknown =
        post(
            "/chat/completions",
            "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    assertEquals(404, unknown.statusCode());
    assertEquals("model_not_found", openAiError(unknown).get("code").asText());

    HttpResponse<String> url =
        post(
            "/chat/completions",
            "{\"model\": \"fixture\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                + " \"image_url\", \"image_url\": {\"url\": \"http://169.254.169.254/x.jpg\"}}]}]}");
    assertEquals(400, url.statusCode());
    assertEquals("messages[0].content[0].image_url", openAiError(url).get("param").asText());

    HttpResponse<String> big =
        post("/chat/completions", "{\"pad\": \"" + "x".repeat(1 << 20) + "\"}");
    assertEquals(413, big.statusCode());
    assertEquals("request_too_large", openAiError(big).get("code").asText());
  }
}
