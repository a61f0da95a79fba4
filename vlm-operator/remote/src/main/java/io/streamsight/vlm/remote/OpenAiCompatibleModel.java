package io.streamsight.vlm.remote;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.core.LogLevel;
import com.openai.core.Timeout;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VisionLanguageModel} over an OpenAI-compatible Chat Completions server. DESCRIBE and ASK
 * are chat completions with the images as base64 data URLs; SCORE reads p(yes) from the first
 * token's {@code top_logprobs} ({@link io.streamsight.vlm.api.ScoreMethod#LOGPROBS}), or from the
 * answer's text when the server gives none ({@code TEXT}). Bounded in flight, retried with backoff
 * honouring {@code Retry-After}, and behind a circuit breaker: while it is open {@link #run} throws
 * {@link ModelUnavailableException}.
 *
 * <p>Uses the official {@code openai-java} SDK for the wire format (its retries are off: {@link
 * RetryingCaller} retries, so the circuit breaker sees every spent request).
 */
public final class OpenAiCompatibleModel implements VisionLanguageModel {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleModel.class);

  private final RemoteModelConfig config;
  private final OpenAIClient client;
  private final String model;
  private final ChatTranslator translator;
  private final RetryingCaller caller;
  private final CircuitBreaker breaker;
  private final RequestSlots slots;

  /**
   * Some servers reject the parameter outright (OpenAI's reasoning models answer 400 "logprobs is
   * not supported"); after the first such answer scores go without it and are read from the text.
   */
  private final AtomicBoolean logprobsRefused = new AtomicBoolean();

  /**
   * Connects; when {@link RemoteModelConfig#model()} is unset, asks the server for its only model
   * ({@code GET /models}), so construction contacts the server then.
   *
   * @param apiKey the bearer token, or {@code null}; read by the caller from {@link
   *     RemoteModelConfig#apiKeyFile()} or {@link RemoteModelConfig#apiKeyEnv()} (see {@link
   *     #open})
   * @throws ModelUnavailableException the server could not be asked for its models
   * @throws IllegalArgumentException the server serves no model or several and none is configured
   */
  public OpenAiCompatibleModel(RemoteModelConfig config, String apiKey) {
    this.config = config;
    this.client = client(config, apiKey);
    this.caller =
        new RetryingCaller(
            config.baseUrl(), config.maxRetries(), new RetryDelay(config.maxBackoff()), apiKey);
    this.breaker =
        new CircuitBreaker(config.breakerFailures(), config.breakerOpenFor(), System::nanoTime);
    try {
      this.model =
          config.model() != null && !config.model().isBlank() ? config.model() : onlyModel();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.translator = new ChatTranslator(model, config.maxImages(), config.maxImageEdge());
    long attempts = config.maxRetries() + 1L;
    Duration perRequestBudget =
        config
            .timeout()
            .multipliedBy(attempts)
            .plus(config.maxBackoff().multipliedBy(config.maxRetries()))
            .plusSeconds(1);
    this.slots =
        new RequestSlots(model, config.baseUrl(), config.maxConcurrent(), perRequestBudget);
  }

  /**
   * Reads the API key where the config says (the first line of {@code apiKeyFile}, else the
   * variable {@code apiKeyEnv}) and connects.
   *
   * @throws io.streamsight.schemas.config.ConfigException the key file cannot be read or the
   *     variable is unset, naming the file or variable (never the key)
   */
  public static OpenAiCompatibleModel open(RemoteModelConfig config) {
    return new OpenAiCompatibleModel(config, ApiKeys.read(config, System::getenv));
  }

  private static OpenAIClient client(RemoteModelConfig config, String apiKey) {
    Timeout timeout =
        Timeout.builder()
            .connect(config.timeout())
            .read(config.timeout())
            .write(config.timeout())
            .request(config.timeout()) // OkHttp's call timeout: the whole exchange, body included
            .build();
    OkHttpClient http = OkHttpClient.builder().timeout(timeout).build();
    return new OpenAIClientImpl(
        ClientOptions.builder()
            .httpClient(new ServerTransport(http, ServerTransport.MAX_RESPONSE_BYTES, apiKey))
            .apiKey(ServerTransport.PLACEHOLDER_KEY)
            .baseUrl(config.baseUrl())
            .timeout(timeout)
            .maxRetries(0)
            .disableTelemetry(true) // no X-Stainless-* fingerprint headers to third-party servers
            // OPENAI_LOG=debug would print request bodies (every frame, base64) to stderr
            .logLevel(LogLevel.OFF)
            .build());
  }

  private String onlyModel() {
    List<String> ids = new ArrayList<>();
    try {
      for (Model m : caller.call("GET /models", () -> client.models().list()).data()) {
        ids.add(m.id());
      }
    } catch (RetryingCaller.CallFailedException e) {
      throw new ModelUnavailableException(
          config.baseUrl(), "cannot list the server's models (set `model`): " + e.getMessage(), e);
    } catch (OpenAIInvalidDataException e) {
      throw new ModelUnavailableException(
          config.baseUrl(), "the server's model list is malformed (set `model`)", e);
    }
    if (ids.size() != 1) {
      throw new IllegalArgumentException(
          "model: "
              + config.baseUrl()
              + (ids.isEmpty()
                  ? " serves no model"
                  : " serves several models " + ids + "; set `model` to one of them"));
    }
    return ids.get(0);
  }

  @Override
  public String modelId() {
    return model;
  }

  @Override
  public List<VlmResult> run(List<VlmRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<Supplier<VlmResult>> calls = new ArrayList<>(requests.size());
    for (VlmRequest r : requests) {
      calls.add(() -> call(r));
    }
    // Unless the circuit is closed, one request goes first as the trial; the rest follow only if
    // it brought the circuit back.
    boolean concurrently = requests.size() > 1 && breaker.state() == CircuitBreaker.State.CLOSED;
    return slots.run(
        calls, concurrently, reason -> VlmResult.failed(reason, ChatTranslator.timings(0)));
  }

  /** One request with its retries; the circuit decides whether it may go out at all. */
  private VlmResult call(VlmRequest request) {
    long start = System.nanoTime();
    boolean logprobs = !logprobsRefused.get();
    ChatCompletionCreateParams params;
    try {
      params = translator.params(request, logprobs);
    } catch (ImagePayloads.BadImageException e) {
      return VlmResult.failed(e.getMessage(), ChatTranslator.timings(0));
    }
    if (!breaker.tryAcquire()) {
      long wait = breaker.remainingOpen().toMillis();
      throw new ModelUnavailableException(
          model,
          "circuit open after "
              + config.breakerFailures()
              + " failed calls to "
              + config.baseUrl()
              + (wait > 0 ? "; next trial in " + wait + " ms" : "; a trial call is under way"));
    }
    ChatCompletion completion;
    try {
      completion = complete(params);
    } catch (RetryingCaller.CallFailedException e) {
      if (request.task() == Task.SCORE && logprobs && refusesLogprobs(e)) {
        logprobsRefused.set(true);
        LOG.warn(
            "{} ({}) refuses logprobs; scores are read from the answer's text (TEXT) from now on",
            model,
            config.baseUrl());
        breaker.neutral();
        return call(request);
      }
      if (e.serverFault()) {
        failed();
      } else {
        breaker.neutral();
      }
      return VlmResult.failed(e.getMessage(), ChatTranslator.timings(millisSince(start)));
    }
    try {
      VlmResult result = translator.result(request, completion, millisSince(start));
      succeeded();
      return result;
    } catch (OpenAIInvalidDataException e) {
      breaker.neutral();
      return VlmResult.failed(
          "malformed response from "
              + config.baseUrl()
              + ": "
              + RetryingCaller.clip(e.getMessage()),
          ChatTranslator.timings(millisSince(start)));
    }
  }

  private ChatCompletion complete(ChatCompletionCreateParams params)
      throws RetryingCaller.CallFailedException {
    return caller.call("chat completion", () -> client.chat().completions().create(params));
  }

  private static boolean refusesLogprobs(RetryingCaller.CallFailedException e) {
    return (e.status() == 400 || e.status() == 422)
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("logprobs");
  }

  private void failed() {
    CircuitBreaker.State before = breaker.state();
    breaker.failure();
    if (before != CircuitBreaker.State.OPEN && breaker.state() == CircuitBreaker.State.OPEN) {
      LOG.warn(
          "{} ({}): circuit open for {} ms after failed calls; requests are refused meanwhile",
          model,
          config.baseUrl(),
          config.breakerOpenFor().toMillis());
    }
  }

  private void succeeded() {
    CircuitBreaker.State before = breaker.state();
    breaker.success();
    if (before != CircuitBreaker.State.CLOSED) {
      LOG.info("{} ({}): circuit closed again", model, config.baseUrl());
    }
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  @Override
  public void close() {
    if (slots != null) {
      slots.close();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleModel[" + config.baseUrl() + ", " + (model == null ? "?" : model) + "]";
  }
}
