package io.streamsight.vlm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.streamsight.console.AccessToken;
import io.streamsight.testkit.log.CapturedLog;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bound beyond loopback, serve answers only requests that carry its token, and never logs it. */
class ServeTokenIT {
  private static final String TOKEN = "s3cret-token-for-serve-" + System.nanoTime();

  @Test
  void shouldRefuseToOpenBeyondLoopbackWithoutAToken(@TempDir Path tmp) {
    ServeConfig open = ServeConfig.defaults("fixture").withBind("0.0.0.0", 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServeServer.start(
                    open, null, () -> VlmEngine.load(tmp.resolve("unused"), EngineConfig.CPU)));
    assertTrue(e.getMessage().contains("token"), e.getMessage());
  }

  @Test
  void shouldAnswerOnlyWithTheTokenWhenBoundBeyondLoopbackAndNeverLogIt(@TempDir Path tmp)
      throws Exception {
    Path model = VlmFixtureModel.write(tmp.resolve("fixture"));
    Path tokenFile = Files.writeString(tmp.resolve("serve.token"), TOKEN + "\n");
    byte[] jpeg = SolidImages.jpeg("yellow", 160, 90);
    String dataUrl = SolidImages.dataUrl(jpeg);
    String imageData = dataUrl.substring(dataUrl.indexOf(',') + 1, dataUrl.indexOf(',') + 41);
    try (CapturedLog log = CapturedLog.start();
        ServeServer server =
            ServeServer.start(
                ServeConfig.defaults("fixture").withBind("0.0.0.0", 0),
                AccessToken.fromFile(tokenFile),
                () -> VlmEngine.load(model, EngineConfig.CPU))) {
      server.awaitReady(Duration.ofSeconds(60));
      HttpClient http = HttpClient.newHttpClient();
      URI base = server.baseUrl();

      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base.toString().replace("/v1", "/health"))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "health needs no token");

      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/models")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, missing.statusCode());
      assertEquals(
          "invalid_api_key", ServeOpenAiClientIT.openAiError(missing).get("code").asText());

      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("fixture")
              .addUserMessageOfArrayOfContentParts(
                  List.of(
                      ServeOpenAiClientIT.text("Describe the image."),
                      ChatCompletionContentPart.ofImageUrl(
                          com.openai.models.chat.completions.ChatCompletionContentPartImage
                              .builder()
                              .imageUrl(
                                  com.openai.models.chat.completions.ChatCompletionContentPartImage
                                      .ImageUrl.builder()
                                      .url(dataUrl)
                                      .build())
                              .build())))
              .maxCompletionTokens(8)
              .build();
      OpenAIClient wrong = client(base, "not-the-token");
      assertThrows(UnauthorizedException.class, () -> wrong.chat().completions().create(params));
      wrong.close();
      OpenAIClient right = client(base, TOKEN);
      assertEquals(
          "yellow",
          right.chat().completions().create(params).choices().get(0).message().content().get());
      right.close();
      String logged = log.text();
      assertFalse(logged.contains(TOKEN), "the token reached the log");
      assertFalse(logged.contains(imageData), "image data reached the log");
    }
  }

  private static OpenAIClient client(URI base, String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(base.toString())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(60))
        .build();
  }
}
