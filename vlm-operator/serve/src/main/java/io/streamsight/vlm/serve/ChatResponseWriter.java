package io.streamsight.vlm.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.TokenLogprobs;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.serve.ChatRequestReader.ChatCall;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Renders engine results in OpenAI's response shapes (the output half of the translator): a chat
 * completion with {@code usage} and, when asked, {@code logprobs.content}; the model list; errors.
 * Pure: no I/O. Fields the official clients read as required are always present (null when there is
 * nothing to say), so strict clients parse every answer.
 */
public final class ChatResponseWriter {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String modelName;
  private final long createdSeconds;

  public ChatResponseWriter(String modelName, long createdSeconds) {
    this.modelName = modelName;
    this.createdSeconds = createdSeconds;
  }

  /**
   * The completion for {@code result}; an error result becomes an {@link ApiError}: a failed model
   * run is the server's fault (500), any other error is the request's (400: an unreadable image, a
   * prompt longer than the model's context).
   */
  public ObjectNode completion(ChatCall call, VlmResult result, long nowSeconds) {
    if (result.finishReason() == FinishReason.ERROR) {
      String why = String.valueOf(result.error());
      if (why.startsWith(VlmEngine.MODEL_RUN_FAILED)) {
        throw new ApiError(500, ApiError.SERVER, null, null, why);
      }
      throw ApiError.invalid("messages", why);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
    root.put("object", "chat.completion");
    root.put("created", nowSeconds);
    root.put("model", modelName);
    root.putNull("system_fingerprint");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", result.text());
    message.putNull("refusal");
    if (call.logprobs()) {
      ObjectNode lp = choice.putObject("logprobs");
      ArrayNode content = lp.putArray("content");
      for (TokenLogprobs t : result.logprobs()) {
        ObjectNode token = token(content.addObject(), t.token(), t.logprob());
        ArrayNode top = token.putArray("top_logprobs");
        for (int i = 0; i < Math.min(call.topLogprobs(), t.top().size()); i++) {
          TokenLogprobs.Candidate c = t.top().get(i);
          token(top.addObject(), c.token(), c.logprob());
        }
      }
      lp.putNull("refusal");
    } else {
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", result.finishReason() == FinishReason.STOP ? "stop" : "length");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", result.promptTokens());
    usage.put("completion_tokens", result.generatedTokens());
    usage.put("total_tokens", result.promptTokens() + result.generatedTokens());
    return root;
  }

  private static ObjectNode token(ObjectNode node, String token, double logprob) {
    node.put("token", token);
    // -inf (a token the model rules out entirely) is not JSON: OpenAI reports -9999 for it.
    node.put("logprob", Double.isFinite(logprob) ? logprob : -9999.0);
    ArrayNode bytes = node.putArray("bytes");
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    return node;
  }

  /** {@code GET /v1/models}. */
  public ObjectNode models() {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ObjectNode m = root.putArray("data").addObject();
    m.put("id", modelName);
    m.put("object", "model");
    m.put("created", createdSeconds);
    m.put("owned_by", "streamsight");
    return root;
  }

  /** OpenAI's error body. */
  public static ObjectNode error(ApiError e) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", e.getMessage());
    err.put("type", e.type());
    if (e.param() == null) {
      err.putNull("param");
    } else {
      err.put("param", e.param());
    }
    if (e.code() == null) {
      err.putNull("code");
    } else {
      err.put("code", e.code());
    }
    return root;
  }
}
