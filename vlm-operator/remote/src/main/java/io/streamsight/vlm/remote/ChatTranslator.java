package io.streamsight.vlm.remote;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.CompletionUsage;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link VlmRequest} as a Chat Completions request, and a completion as a {@link VlmResult}: the
 * pure translation between our contract and the OpenAI API, kept apart from HTTP, retries and
 * concurrency so it is tested alone.
 */
final class ChatTranslator {
  /** Enough candidates that the yes and no spellings of any tokenizer show up. */
  static final int TOP_LOGPROBS = 10;

  /**
   * Chat models answer a bare question with a sentence; the score reads only the first token, so
   * the instruction asks for the word. Costs a handful of prompt tokens per score.
   */
  static final String YES_NO_SUFFIX = "\nAnswer with one word: Yes or No.";

  private final String model;
  private final int maxImages;
  private final int maxImageEdge;

  ChatTranslator(String model, int maxImages, int maxImageEdge) {
    this.model = model;
    this.maxImages = maxImages;
    this.maxImageEdge = maxImageEdge;
  }

  /**
   * One user message: the images (at most maxImages, spread over the window) then the text. Greedy
   * (temperature 0); SCORE asks for one token with its top logprobs.
   */
  @SuppressWarnings("deprecation") // max_tokens: what vLLM, Ollama, llama.cpp and Gemini read
  ChatCompletionCreateParams params(VlmRequest request, boolean logprobs)
      throws ImagePayloads.BadImageException {
    List<ChatCompletionContentPart> parts = new ArrayList<>();
    for (String url : ImagePayloads.dataUrls(request.images(), maxImages, maxImageEdge)) {
      parts.add(
          ChatCompletionContentPart.ofImageUrl(
              ChatCompletionContentPartImage.builder()
                  .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build())
                  .build()));
    }
    boolean score = request.task() == Task.SCORE;
    String text = score ? request.text() + YES_NO_SUFFIX : request.text();
    parts.add(
        ChatCompletionContentPart.ofText(
            ChatCompletionContentPartText.builder().text(text).build()));
    ChatCompletionCreateParams.Builder b =
        ChatCompletionCreateParams.builder()
            .model(model)
            .addUserMessageOfArrayOfContentParts(parts)
            .temperature(0.0);
    if (score) {
      b.maxTokens(1L);
      if (logprobs) {
        b.logprobs(true).topLogprobs((long) TOP_LOGPROBS);
      }
    } else {
      b.maxTokens((long) request.options().maxNewTokens());
    }
    return b.build();
  }

  /**
   * The result of one completion. A completion without choices, or a score that reads neither yes
   * nor no, is a failed result naming why; accessors of fields the server left out throw the SDK's
   * {@code OpenAIInvalidDataException}, which the caller reports as a malformed response.
   */
  VlmResult result(VlmRequest request, ChatCompletion completion, double totalMillis) {
    Timings timings = timings(totalMillis);
    Optional<List<ChatCompletion.Choice>> known = completion._choices().asKnown();
    if (known.isEmpty()) {
      // missing, or not a list (the SDK reads leniently and would call that empty)
      return VlmResult.failed("malformed response: `choices` is missing or not a list", timings);
    }
    List<ChatCompletion.Choice> choices = known.get();
    if (choices.isEmpty()) {
      return VlmResult.failed("the server returned no choices", timings);
    }
    ChatCompletion.Choice choice = choices.get(0);
    Optional<CompletionUsage> usage = completion.usage();
    int prompt = usage.flatMap(u -> u._promptTokens().asKnown()).map(Long::intValue).orElse(0);
    int generated =
        usage.flatMap(u -> u._completionTokens().asKnown()).map(Long::intValue).orElse(0);
    String finish = choice._finishReason().asKnown().map(Object::toString).orElse("");
    String text = choice.message().content().orElse("");
    if (finish.equals("content_filter")) {
      return VlmResult.failed("the server's content filter withheld the answer", timings);
    }
    if (request.task() != Task.SCORE) {
      FinishReason reason = finish.equals("length") ? FinishReason.MAX_TOKENS : FinishReason.STOP;
      return new VlmResult(
          text, new long[0], Double.NaN, prompt, generated, reason, timings, null, null);
    }
    YesNoScore score = score(choice, text);
    if (score.error() != null) {
      return VlmResult.failed(score.error(), timings);
    }
    return new VlmResult(
        "",
        new long[0],
        score.pYes(),
        prompt,
        generated,
        FinishReason.SCORED,
        timings,
        null,
        score.method());
  }

  /** From the first token's top_logprobs when the server sent any, else from the text. */
  static YesNoScore score(ChatCompletion.Choice choice, String text) {
    List<ChatCompletionTokenLogprob> tokens =
        choice.logprobs().flatMap(l -> l.content()).orElse(List.of());
    if (tokens.isEmpty()) {
      return YesNoScore.fromText(text);
    }
    ChatCompletionTokenLogprob first = tokens.get(0);
    List<YesNoScore.Candidate> candidates = new ArrayList<>();
    List<ChatCompletionTokenLogprob.TopLogprob> top =
        first._topLogprobs().asKnown().orElse(List.of());
    for (ChatCompletionTokenLogprob.TopLogprob t : top) {
      candidates.add(new YesNoScore.Candidate(t.token(), t.logprob()));
    }
    if (candidates.isEmpty()) {
      // Only the chosen token's own logprob: no alternative to weigh it against, so no better
      // than the text (and said so: TEXT, not LOGPROBS).
      return YesNoScore.fromText(text.isEmpty() ? first.token() : text);
    }
    return YesNoScore.fromLogprobs(candidates);
  }

  static Timings timings(double totalMillis) {
    return new Timings(0, 0, 0, 0, totalMillis, 0, 0, 1);
  }
}
