package io.streamsight.vlm.operator;

import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.inference.ModelProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failure injection at the far edge: the real model, except that its {@code failOnRun}-th batch
 * throws once (a broken model), which fails the task and makes Flink restart from a checkpoint. The
 * flag is static because the MiniCluster runs in this JVM and the provider is serialised.
 *
 * <p>The failure also empties the TaskManager's image cache, so the restarted job finds none of the
 * images of the keyframes it restores (open windows, in-flight tasks), as a fresh TaskManager would
 * after a crash: it must read them back from Kafka.
 */
record FailingOnceModelProvider(ModelProvider inner, int failOnRun) implements ModelProvider {
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger RUNS = new AtomicInteger();

  @Override
  public String key() {
    return inner.key() + "#failing-once";
  }

  @Override
  public VisionLanguageModel open() {
    VisionLanguageModel model = inner.open();
    return new VisionLanguageModel() {
      @Override
      public String modelId() {
        return model.modelId();
      }

      @Override
      public List<VlmResult> run(List<VlmRequest> requests) {
        if (RUNS.incrementAndGet() >= failOnRun && FAILED.compareAndSet(false, true)) {
          ImageCache.shared().clear();
          throw new IllegalStateException("injected model failure (test)");
        }
        return model.run(requests);
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }
}
