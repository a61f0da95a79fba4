package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.ModelUnavailableException;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.remote.OpenAiCompatibleModel;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * A model on an OpenAI-compatible server. Travels in the job graph (which Flink's REST API shows),
 * so it holds only where the API key is ({@link RemoteModelConfig#apiKeyFile()} or {@code
 * apiKeyEnv}); each TaskManager reads the key itself when it opens the model. One inference service
 * per server and model name in a TaskManager: its batching queue is what bounds the calls in flight
 * besides the client's own {@code maxConcurrent}.
 *
 * <p>A server that is down when the job starts must not fail the job (Flink would restart it over
 * and over while the server is away): opening the client may contact the server (to learn its only
 * model), and when that finds it unavailable the model is opened again on use, at most once per
 * {@code breakerOpenFor}, each run until then failing with {@link ModelUnavailableException}: its
 * work is shed, counted, or goes to the next model, like any call while the circuit is open.
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
    return new Reopening(config);
  }

  /** The client, opened on first success. */
  static final class Reopening implements VisionLanguageModel {
    private final RemoteModelConfig config;
    private VisionLanguageModel model;
    private ModelUnavailableException lastFailure;
    private long retryAtNanos;

    Reopening(RemoteModelConfig config) {
      this.config = config;
      tryOpen();
    }

    private synchronized VisionLanguageModel tryOpen() {
      if (model == null && System.nanoTime() - retryAtNanos >= 0) {
        try {
          model = OpenAiCompatibleModel.open(config);
        } catch (ModelUnavailableException e) {
          lastFailure = e;
          retryAtNanos = System.nanoTime() + config.breakerOpenFor().toNanos();
        }
      }
      return model;
    }

    @Override
    public String modelId() {
      VisionLanguageModel m;
      synchronized (this) {
        m = model;
      }
      return m != null ? m.modelId() : config.model() != null ? config.model() : config.baseUrl();
    }

    @Override
    public List<VlmResult> run(List<VlmRequest> requests) {
      VisionLanguageModel m = tryOpen();
      if (m == null) {
        synchronized (this) {
          throw new ModelUnavailableException(
              config.baseUrl(), "not reachable yet: " + lastFailure.getMessage(), lastFailure);
        }
      }
      return m.run(requests);
    }

    @Override
    public synchronized void close() {
      if (model != null) {
        model.close();
      }
    }
  }
}
