package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide registry of inference services: every subtask of every operator in one TaskManager
 * that uses the same model shares one service (one model in memory, one batching queue). Reference
 * counted: the last release closes the model. The first acquirer's batching settings win.
 */
public final class InferenceServices {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServices.class);
  private static final Map<String, Entry> SERVICES = new HashMap<>();

  private InferenceServices() {}

  private static final class Entry {
    final InferenceService service;
    int users;

    Entry(InferenceService service) {
      this.service = service;
    }
  }

  public static synchronized InferenceService acquire(ModelProvider provider, InferenceConfig cfg) {
    Entry e = SERVICES.get(provider.key());
    if (e == null) {
      long t0 = System.nanoTime();
      e = new Entry(new InferenceService(provider.open(), cfg));
      SERVICES.put(provider.key(), e);
      LOG.info(
          "Loaded model {} for this TaskManager in {} ms (max batch {}, max wait {})",
          provider.key(),
          (System.nanoTime() - t0) / 1_000_000,
          cfg.maxBatch(),
          cfg.maxWait());
    }
    e.users++;
    return e.service;
  }

  public static synchronized void release(ModelProvider provider) {
    Entry e = SERVICES.get(provider.key());
    if (e != null && --e.users == 0) {
      SERVICES.remove(provider.key());
      e.service.close();
      LOG.info("Closed model {}: no more users in this TaskManager", provider.key());
    }
  }

  /**
   * One user's hold on the service of {@code provider} on GPU {@code gpu}: what every operator that
   * runs the model takes in {@code open} and gives back in {@code close}.
   */
  public record Lease(ModelProvider provider, InferenceService service) implements AutoCloseable {
    @Override
    public void close() {
      release(provider);
    }
  }

  public static Lease lease(ModelProvider provider, int gpu, InferenceConfig cfg) {
    ModelProvider onGpu = provider.onGpu(gpu);
    return new Lease(onGpu, acquire(onGpu, cfg));
  }
}
