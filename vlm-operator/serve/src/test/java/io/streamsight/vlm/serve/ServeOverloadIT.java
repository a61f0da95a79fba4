package io.streamsight.vlm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A full batching queue answers 503 with Retry-After at once, in OpenAI's error shape. */
class ServeOverloadIT {
  /** A model at the far edge that holds its batch until released. */
  private static final class GatedModel implements VisionLanguageModel {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String modelId() {
      return "gated";
    }

    @Override
    public List<VlmResult> run(List<VlmRequest> requests) {
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<VlmResult> out = new ArrayList<>();
      for (VlmRequest r : requests) {
        out.add(
            new VlmResult(
                "ok",
                new long[] {1},
                Double.NaN,
                3,
                1,
                FinishReason.STOP,
                new Timings(0, 0, 0, 0, 0, 0, 0, requests.size()),
                null));
      }
      return out;
    }

    @Override
    public void close() {
      release.countDown();
    }
  }

  private static final String BODY =
      "{\"model\": \"gated\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

  @Test
  void shouldAnswer503WithRetryAfterWhenTheQueueIsFull() throws Exception {
    InferenceConfig d = ServeConfig.defaults("gated").inference();
    InferenceConfig oneQueued =
        new InferenceConfig(
            1,
            Duration.ofMillis(1),
            1,
            d.asyncCapacity(),
            d.timeout(),
            d.retries(),
            d.retryDelay(),
            d.sheddingBudget(),
            d.sheddingClock());
    GatedModel model = new GatedModel();
    try (ServeServer server =
        ServeServer.start(
            ServeConfig.defaults("gated").withBind("127.0.0.1", 0).withInference(oneQueued),
            null,
            () -> model)) {
      server.awaitReady(Duration.ofSeconds(10));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest post =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(BODY))
              .build();
      CompletableFuture<HttpResponse<String>> running =
          http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
      model.entered.await(30, TimeUnit.SECONDS); // the model holds the first request
      CompletableFuture<HttpResponse<String>> queued =
          http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
      io.streamsight.testkit.Await.until(
          "the second request to be queued", Duration.ofSeconds(30), () -> queueDepth(server) == 1);

      HttpResponse<String> refused = http.send(post, HttpResponse.BodyHandlers.ofString());
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
      assertEquals("overloaded", ServeOpenAiClientIT.openAiError(refused).get("code").asText());
      assertEquals(1, server.refusals());

      model.release.countDown();
      assertEquals(200, running.get(30, TimeUnit.SECONDS).statusCode());
      assertEquals(200, queued.get(30, TimeUnit.SECONDS).statusCode());
    }
  }

  private static int queueDepth(ServeServer server) throws Exception {
    HttpResponse<String> h =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return ServeOpenAiClientIT.JSON.readTree(h.body()).path("queueDepth").asInt(-1);
  }
}
