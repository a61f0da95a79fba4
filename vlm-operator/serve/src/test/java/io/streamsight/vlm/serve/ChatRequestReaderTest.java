package io.streamsight.vlm.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.serve.ChatRequestReader.ChatCall;
import org.junit.jupiter.api.Test;

class ChatRequestReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] JPEG = SolidImages.jpeg("red", 32, 32);
  private static final String IMAGE =
      "{\"type\": \"image_url\", \"image_url\": {\"url\": \"" + SolidImages.dataUrl(JPEG) + "\"}}";
  private final ChatRequestReader reader = new ChatRequestReader(ServeConfig.defaults("m"));

  private ChatCall read(String json) throws Exception {
    return reader.read(JSON.readTree(json));
  }

  private ApiError refused(String json) {
    return assertThrows(ApiError.class, () -> read(json));
  }

  private static String user(String parts) {
    return "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [" + parts + "]}]";
  }

  @Test
  void shouldJoinSystemAndUserTextAndKeepImagesInOrder() throws Exception {
    ChatCall c =
        read(
            "{\"model\": \"m\", \"max_tokens\": 5, \"messages\": [{\"role\": \"system\", \"content\":"
                + " \"Be brief.\"}, {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\":"
                + " \"Is the scene red?\"}, "
                + IMAGE
                + ", "
                + IMAGE
                + "]}]}");
    assertEquals(Task.ASK, c.request().task());
    assertEquals("Be brief.\nIs the scene red?", c.request().text());
    assertEquals(2, c.request().images().size());
    assertArrayEquals(JPEG, c.request().images().get(0));
    assertEquals(5, c.request().options().maxNewTokens());
    assertEquals(0, c.request().options().temperature(), "absent temperature is greedy");
    assertEquals(ImageBudget.PUBLISHED, c.request().options().budget());
    assertFalse(c.logprobs());
    assertEquals(0, c.request().options().topLogprobs());
  }

  @Test
  void shouldAskTheEngineForLogprobsAndSpendOneTileOnLowDetailImages() throws Exception {
    String low = IMAGE.replace("\"}}", "\", \"detail\": \"low\"}}");
    ChatCall c =
        read(
            user(low)
                    .replace(
                        "\"messages\"", "\"logprobs\": true, \"top_logprobs\": 0, \"messages\"")
                + "}");
    assertTrue(c.logprobs());
    assertEquals(0, c.topLogprobs());
    assertEquals(1, c.request().options().topLogprobs(), "the chosen token's own logprob");
    assertEquals(ImageBudget.GLOBAL_ONLY, c.request().options().budget());
    ChatCall ten =
        read(
            user(low + ", " + IMAGE)
                    .replace(
                        "\"messages\"",
                        "\"logprobs\": true, \"top_logprobs\": 10, \"max_completion_tokens\": 1, \"messages\"")
                + "}");
    assertEquals(10, ten.request().options().topLogprobs());
    assertEquals(1, ten.request().options().maxNewTokens());
    assertEquals(ImageBudget.PUBLISHED, ten.request().options().budget(), "one image not low");
  }

  @Test
  void shouldRefuseWhatItCannotHonourByName() {
    String text = "{\"type\": \"text\", \"text\": \"hi\"}";
    String base = user(text);
    assertEquals("stream", refused(base + ", \"stream\": true}").param());
    assertEquals("n", refused(base + ", \"n\": 2}").param());
    assertEquals("stop", refused(base + ", \"stop\": [\"x\"]}").param());
    assertEquals("tools", refused(base + ", \"tools\": [{\"type\": \"function\"}]}").param());
    assertEquals("top_logprobs", refused(base + ", \"top_logprobs\": 3}").param());
    assertEquals(
        "top_logprobs", refused(base + ", \"logprobs\": true, \"top_logprobs\": 21}").param());
    assertEquals("max_tokens", refused(base + ", \"max_tokens\": 0}").param());
    assertEquals("max_tokens", refused(base + ", \"max_tokens\": 100000}").param());
    assertEquals("temperature", refused(base + ", \"temperature\": -1}").param());
    assertEquals(404, refused(base.replace("\"m\"", "\"other\"") + "}").status());
    assertEquals("model", refused("{\"messages\": []}").param());
    ApiError multiTurn =
        refused(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}]}");
    assertEquals("messages[0].role", multiTurn.param());
  }

  @Test
  void shouldRefuseImagesItWouldHaveToFetchOrThatAreTooManyOrTooBig() {
    ApiError url =
        refused(
            user("{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/y.jpg\"}}") + "}");
    assertEquals("messages[0].content[0].image_url", url.param());
    assertTrue(url.getMessage().contains("fetches no URLs"), url.getMessage());
    ApiError gif =
        refused(
            user(
                    "{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/gif;base64,R0lG\"}}")
                + "}");
    assertTrue(gif.getMessage().contains("image/gif"), gif.getMessage());
    String nine = String.join(", ", java.util.Collections.nCopies(9, IMAGE));
    ApiError many = refused(user(nine) + "}");
    assertEquals("messages[0].content[8].image_url", many.param());

    ServeConfig tiny =
        new ServeConfig(
            "127.0.0.1",
            0,
            "m",
            1 << 20,
            8,
            64,
            100,
            16,
            16,
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(1),
            1,
            ServeConfig.defaults("m").inference());
    ApiError big =
        assertThrows(
            ApiError.class, () -> new ChatRequestReader(tiny).read(node(user(IMAGE) + "}")));
    assertEquals(413, big.status());
    assertFalse(big.getMessage().contains(SolidImages.dataUrl(JPEG).substring(23, 60)));
  }

  private static JsonNode node(String json) throws Exception {
    return JSON.readTree(json);
  }
}
