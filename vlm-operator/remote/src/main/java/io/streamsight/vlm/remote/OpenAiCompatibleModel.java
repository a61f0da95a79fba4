package io.streamsight.vlm.remote;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import java.util.List;

/**
 * {@link VisionLanguageModel} over an OpenAI-compatible Chat Completions server. DESCRIBE and ASK
 * are chat completions with the images as base64 data URLs; SCORE reads p(yes) from the first
 * token's {@code top_logprobs} ({@link io.streamsight.vlm.api.ScoreMethod#LOGPROBS}), or from the
 * answer's text when the server gives none ({@code TEXT}). Bounded in flight, retried with backoff
 * honouring {@code Retry-After}, and behind a circuit breaker: while it is open {@link #run} throws
 * {@link io.streamsight.vlm.api.ModelUnavailableException}.
 */
public final class OpenAiCompatibleModel implements VisionLanguageModel {
  private final RemoteModelConfig config;

  /**
   * @param apiKey the bearer token, or {@code null}; read by the caller from {@link
   *     RemoteModelConfig#apiKeyFile()} or {@link RemoteModelConfig#apiKeyEnv()} (see {@link
   *     #open})
   */
  public OpenAiCompatibleModel(RemoteModelConfig config, String apiKey) {
    this.config = config;
  }

  /** Reads the API key where the config says and connects. */
  public static OpenAiCompatibleModel open(RemoteModelConfig config) {
    return new OpenAiCompatibleModel(config, null);
  }

  @Override
  public String modelId() {
    return config.model() == null ? config.baseUrl() : config.model();
  }

  @Override
  public List<VlmResult> run(List<VlmRequest> requests) {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "OpenAiCompatibleModel[" + config.baseUrl() + ", " + modelId() + "]";
  }
}
