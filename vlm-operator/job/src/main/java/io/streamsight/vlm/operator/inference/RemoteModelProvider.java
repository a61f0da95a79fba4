package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.remote.OpenAiCompatibleModel;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.util.Objects;

/**
 * A model on an OpenAI-compatible server. Travels in the job graph (which Flink's REST API shows),
 * so it holds only where the API key is ({@link RemoteModelConfig#apiKeyFile()} or {@code
 * apiKeyEnv}); each TaskManager reads the key itself when it opens the model. One inference service
 * per server and model name in a TaskManager: its batching queue is what bounds the calls in flight
 * besides the client's own {@code maxConcurrent}.
 */
public record RemoteModelProvider(RemoteModelConfig config) implements ModelProvider {
  public RemoteModelProvider {
    Objects.requireNonNull(config, "config");
  }

  @Override
  public String key() {
    return config.baseUrl()
        + " ["
        + (config.model() == null ? "its only model" : config.model())
        + "]";
  }

  @Override
  public VisionLanguageModel open() {
    return OpenAiCompatibleModel.open(config);
  }
}
