package io.streamsight.vlm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.preprocess.ImageDecodeException;
import io.streamsight.vlm.preprocess.ImageDecoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an OpenAI Chat Completions request body into one engine request (the input half of the
 * translator; {@link ChatResponseWriter} is the output half). Pure: no I/O, no model.
 *
 * <p>The engine's prompt is one user turn with images and text, so: system and user messages are
 * joined in order (system text first, as the chat template has no system slot here), images are
 * collected from every message in order and placed before the text as the model's template does,
 * and a conversation with earlier assistant turns is refused rather than flattened into something
 * the model was not asked. Images must be base64 data URLs (JPEG or PNG): the server fetches no URL
 * (no server-side request forgery), and each image's header is checked against the size limits
 * before anything is decoded.
 *
 * <p>Sampling: {@code temperature} 0, or absent, is greedy; above 0 the engine samples with {@code
 * top_p} and {@code seed} (repeatable for a given seed). Parameters that would change what a client
 * gets and that the engine cannot honour ({@code n} > 1, {@code stop}, {@code stream}, tools,
 * non-text {@code response_format}, {@code logit_bias}) are refused by name; unknown ones are
 * ignored, as vLLM and llama.cpp do.
 */
public final class ChatRequestReader {
  /** Parameters refused unless absent, null or at their neutral value. */
  private static final Set<String> UNSUPPORTED =
      Set.of("tools", "functions", "tool_choice", "function_call", "logit_bias", "audio");

  private final ServeConfig config;

  public ChatRequestReader(ServeConfig config) {
    this.config = config;
  }

  /** One parsed request: what to run, and what the answer must report. */
  public record ChatCall(VlmRequest request, boolean logprobs, int topLogprobs) {}

  public ChatCall read(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.invalid(null, "the body must be a JSON object");
    }
    String model = text(body, "model");
    if (model == null) {
      throw ApiError.invalid("model", "you must name the model: '" + config.modelName() + "'");
    }
    if (!model.equals(config.modelName())) {
      throw new ApiError(
          404,
          ApiError.INVALID_REQUEST,
          "model",
          "model_not_found",
          "The model '"
              + model
              + "' does not exist here; this server serves '"
              + config.modelName()
              + "'");
    }
    refuseUnsupported(body);
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw ApiError.invalid("messages", "messages must be a non-empty array");
    }
    StringBuilder text = new StringBuilder();
    List<byte[]> images = new ArrayList<>();
    boolean[] lowDetail = {true};
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), "messages[" + i + "]", text, images, lowDetail);
    }
    int maxTokens = maxTokens(body);
    double temperature = number(body, "temperature", 0, 0, 2);
    double topP = number(body, "top_p", 1, 0, 1);
    if (topP == 0) {
      throw ApiError.invalid("top_p", "top_p must be above 0");
    }
    long seed = body.hasNonNull("seed") ? integer(body, "seed") : 0;
    boolean logprobs = bool(body, "logprobs");
    int top = 0;
    if (body.hasNonNull("top_logprobs")) {
      long k = integer(body, "top_logprobs");
      if (k < 0 || k > GenerationOptions.MAX_TOP_LOGPROBS) {
        throw ApiError.invalid(
            "top_logprobs", "top_logprobs must be 0 to " + GenerationOptions.MAX_TOP_LOGPROBS);
      }
      if (!logprobs && k > 0) {
        throw ApiError.invalid("top_logprobs", "top_logprobs needs logprobs: true");
      }
      top = (int) k;
    }
    // The engine computes log-probabilities when asked for at least one candidate; with
    // top_logprobs 0 the answer still carries each chosen token's own logprob.
    ImageBudget budget =
        !images.isEmpty() && lowDetail[0] ? ImageBudget.GLOBAL_ONLY : ImageBudget.PUBLISHED;
    GenerationOptions options =
        new GenerationOptions(
            maxTokens, temperature, topP, seed, budget, logprobs ? Math.max(1, top) : 0);
    return new ChatCall(new VlmRequest(Task.ASK, images, text.toString(), options), logprobs, top);
  }

  private void refuseUnsupported(JsonNode body) {
    for (String name : UNSUPPORTED) {
      JsonNode v = body.get(name);
      if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
        throw ApiError.invalid(name, name + " is not supported by this server");
      }
    }
    if (body.hasNonNull("n") && integer(body, "n") != 1) {
      throw ApiError.invalid("n", "this server returns one choice: n must be 1");
    }
    if (bool(body, "stream")) {
      throw ApiError.invalid("stream", "streaming is not supported: send stream: false");
    }
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull() && !(stop.isArray() && stop.isEmpty())) {
      throw ApiError.invalid("stop", "stop sequences are not supported by this server");
    }
    JsonNode format = body.get("response_format");
    if (format != null && !format.isNull() && !"text".equals(text(format, "type"))) {
      throw ApiError.invalid("response_format", "only response_format type 'text' is supported");
    }
  }

  private void message(
      JsonNode m, String where, StringBuilder text, List<byte[]> images, boolean[] lowDetail) {
    if (m == null || !m.isObject()) {
      throw ApiError.invalid(where, where + " must be an object");
    }
    String role = text(m, "role");
    if (!"user".equals(role) && !"system".equals(role) && !"developer".equals(role)) {
      throw ApiError.invalid(
          where + ".role",
          "role '"
              + role
              + "' is not supported: send one question as system and user messages (this model"
              + " answers one user turn, without earlier assistant turns)");
    }
    JsonNode content = m.get("content");
    if (content != null && content.isTextual()) {
      append(text, content.asText());
      return;
    }
    if (content == null || !content.isArray()) {
      throw ApiError.invalid(where + ".content", "content must be a string or an array of parts");
    }
    for (int j = 0; j < content.size(); j++) {
      String at = where + ".content[" + j + "]";
      JsonNode part = content.get(j);
      String type = part == null ? null : text(part, "type");
      if ("text".equals(type)) {
        append(text, part.path("text").asText(""));
      } else if ("image_url".equals(type)) {
        if (!"user".equals(role)) {
          throw ApiError.invalid(at, "images belong in user messages");
        }
        JsonNode url = part.get("image_url");
        String u = url == null ? null : url.isTextual() ? url.asText() : text(url, "url");
        String detail = url != null && url.isObject() ? text(url, "detail") : null;
        lowDetail[0] &= "low".equals(detail);
        images.add(image(u, at + ".image_url", images.size()));
      } else {
        throw ApiError.invalid(at + ".type", "part type '" + type + "' is not supported");
      }
    }
  }

  private static void append(StringBuilder text, String s) {
    if (!s.isBlank()) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(s.strip());
    }
  }

  /** Decodes one data URL and checks its size limits; never quotes the data in an error. */
  private byte[] image(String url, String param, int already) {
    if (already >= config.maxImages()) {
      throw ApiError.invalid(param, "at most " + config.maxImages() + " images per request");
    }
    if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
      throw ApiError.invalid(
          param,
          "images must be base64 data URLs (data:image/jpeg;base64,... or data:image/png;...):"
              + " this server fetches no URLs");
    }
    int comma = url.indexOf(',');
    String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (comma < 0 || !meta.endsWith(";base64")) {
      throw ApiError.invalid(param, "the data URL must be base64 encoded");
    }
    String mime = meta.substring(0, meta.length() - ";base64".length());
    if (!Set.of("image/jpeg", "image/jpg", "image/png").contains(mime)) {
      throw ApiError.invalid(param, "image type '" + mime + "' is not supported: send JPEG or PNG");
    }
    long decodedBound = (long) (url.length() - comma - 1) * 3 / 4;
    if (decodedBound > config.maxImageBytes() + 2L) {
      throw tooLarge(param, "image of about " + decodedBound + " bytes");
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(param, "the image is not valid base64");
    }
    if (bytes.length > config.maxImageBytes()) {
      throw tooLarge(param, "image of " + bytes.length + " bytes");
    }
    // The engine reads every image's header and refuses more than ImageDecoder.MAX_PIXELS before
    // decoding (an error result, answered 400); a header is parsed here too only when this
    // server's bound is tighter, since reading it costs an ImageIO reader per image.
    if (config.maxImagePixels() < ImageDecoder.MAX_PIXELS) {
      try {
        ImageDecoder.ImageSize size = ImageDecoder.size(bytes);
        if (size.pixels() > config.maxImagePixels()) {
          throw tooLarge(param, "image of " + size);
        }
      } catch (ImageDecodeException e) {
        throw ApiError.invalid(param, "the image cannot be read: " + e.getMessage());
      }
    }
    return bytes;
  }

  private ApiError tooLarge(String param, String what) {
    return new ApiError(
        413,
        ApiError.INVALID_REQUEST,
        param,
        "image_too_large",
        what
            + " is above this server's limit ("
            + config.maxImageBytes()
            + " bytes, "
            + config.maxImagePixels()
            + " pixels)");
  }

  private int maxTokens(JsonNode body) {
    String key = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    if (!body.hasNonNull(key)) {
      return config.defaultMaxTokens();
    }
    long v = integer(body, key);
    if (v < 1 || v > config.maxTokens()) {
      throw ApiError.invalid(key, key + " must be 1 to " + config.maxTokens());
    }
    return (int) v;
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiError.invalid(key, key + " must be a string");
    }
    return v.asText();
  }

  private static long integer(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiError.invalid(key, key + " must be an integer");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw ApiError.invalid(key, key + " must be true or false");
    }
    return v.asBoolean();
  }

  private static double number(JsonNode n, String key, double absent, double min, double max) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw ApiError.invalid(key, key + " must be a number from " + min + " to " + max);
    }
    return v.asDouble();
  }
}
