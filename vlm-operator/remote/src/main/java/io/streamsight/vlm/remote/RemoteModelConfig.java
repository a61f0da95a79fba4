package io.streamsight.vlm.remote;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import java.io.Serializable;
import java.time.Duration;

/**
 * One OpenAI-compatible model server (vLLM, SGLang, TGI, Ollama's {@code /v1}, llama.cpp's server,
 * LM Studio, OpenAI, Azure OpenAI, Gemini's compatibility endpoint, {@code streamsight serve}).
 * Bound from a {@code models:} entry of {@code operator.yaml} (kind server) or built from {@code
 * --model https://host/v1}. Holds where the API key is, never the key itself: it travels in the
 * Flink job graph, which Flink's REST API shows.
 */
public record RemoteModelConfig(
    @ConfigDoc(
            value = "Base URL of the server's OpenAI API, e.g. `http://gpu-box:8000/v1`.",
            required = true)
        String baseUrl,
    @ConfigDoc(
            value = "Model name the server knows (`model` in requests).",
            unset = "the server's only model, from `GET /models` at start")
        String model,
    @ConfigDoc(
            value = "File holding the API key (first line); sent as a bearer token.",
            unset = "no key from a file")
        String apiKeyFile,
    @ConfigDoc(
            value = "Environment variable holding the API key, when there is no `apiKeyFile`.",
            unset = "no key (local servers)")
        String apiKeyEnv,
    @ConfigDoc(value = "Requests in flight to this server at most.", defaultValue = "8")
        int maxConcurrent,
    @ConfigDoc(
            value = "Deadline of one HTTP request, body included (each retry gets its own).",
            defaultValue = "30s")
        Duration timeout,
    @ConfigDoc(
            value = "Retries of a request after 408, 429, 5xx or a connection error.",
            defaultValue = "3")
        int maxRetries,
    @ConfigDoc(
            value =
                "Longest wait between retries (exponential with jitter, or the server's"
                    + " Retry-After, whichever is longer, capped here).",
            defaultValue = "10s")
        Duration maxBackoff,
    @ConfigDoc(
            value = "Images per request at most; a longer window sends its frames spread evenly.",
            defaultValue = "8")
        int maxImages,
    @ConfigDoc(
            value = "Longest image edge in pixels; larger JPEGs are scaled down before sending.",
            defaultValue = "1024")
        int maxImageEdge,
    @ConfigDoc(
            value = "Consecutive failed calls after which the circuit opens (calls fail at once).",
            defaultValue = "5")
        int breakerFailures,
    @ConfigDoc(
            value = "How long an open circuit stays open before one trial call.",
            defaultValue = "30s")
        Duration breakerOpenFor)
    implements Serializable {

  public RemoteModelConfig {
    Checks.notBlank("baseUrl", baseUrl);
    Checks.atLeast("maxConcurrent", maxConcurrent, 1);
    Checks.positive("timeout", timeout);
    Checks.atLeast("maxRetries", maxRetries, 0);
    Checks.positive("maxBackoff", maxBackoff);
    Checks.atLeast("maxImages", maxImages, 1);
    Checks.atLeast("maxImageEdge", maxImageEdge, 64);
    Checks.atLeast("breakerFailures", breakerFailures, 1);
    Checks.positive("breakerOpenFor", breakerOpenFor);
  }

  /** A server with the defaults above: {@code --model http://host:8000/v1 [--model-name M]}. */
  public static RemoteModelConfig of(String baseUrl, String model) {
    return new RemoteModelConfig(
        baseUrl,
        model,
        null,
        null,
        8,
        Duration.ofSeconds(30),
        3,
        Duration.ofSeconds(10),
        8,
        1024,
        5,
        Duration.ofSeconds(30));
  }
}
