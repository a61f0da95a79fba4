package io.streamsight.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.generation.LogitsBudget;
import io.streamsight.vlm.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Off-heap memory a TaskManager reserves for the VLM engine, estimated from the model's config
 * files. A TaskManager's JVM may allocate at most framework off-heap + task off-heap + network
 * memory of direct buffers ({@code -XX:MaxDirectMemorySize}); Flink's default task off-heap is 0,
 * so the engine's first large prefill failed with "Cannot reserve direct buffer memory".
 *
 * <p>The estimate ({@link LogitsBudget#directMemoryEstimate}): the largest prefill logits buffer
 * (at most {@link LogitsBudget#DEFAULT_MAX_BYTES}, less when batch × context × vocabulary is
 * smaller), that prefill's input embeddings, one vision-encoder run's pixels, plus {@link
 * #HEADROOM} for smaller buffers (decode steps, token ids, masks, Kafka clients). One inference
 * service serves all slots of a TaskManager, so this is per TaskManager, not per slot. ONNX
 * Runtime's own native allocations (weights, KV caches) are outside the JVM's limit and not
 * counted. For SmolVLM-256M it comes to 634 MiB; for the fixture model, the headroom.
 */
public final class EngineMemory {
  /** Room for the engine's small direct buffers and other user code. */
  public static final long HEADROOM = 64L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineMemory() {}

  /**
   * The task off-heap bytes for a model directory; {@code null} or a directory without config.json
   * (the fixture model is created only after Flink starts) gets the headroom alone.
   */
  public static long taskOffHeapBytes(Path modelDir) {
    if (modelDir == null || !Files.isRegularFile(modelDir.resolve("config.json"))) {
      return HEADROOM;
    }
    try {
      JsonNode config = JSON.readTree(modelDir.resolve("config.json").toFile());
      JsonNode text = config.path("text_config");
      int vocab = text.path("vocab_size").asInt(config.path("vocab_size").asInt(0));
      int hidden = text.path("hidden_size").asInt(0);
      int context = text.path("max_position_embeddings").asInt(0);
      int tile = 512; // Idefics3's published tile size when the preprocessor config omits it
      Path pre = modelDir.resolve("preprocessor_config.json");
      if (Files.isRegularFile(pre)) {
        tile = JSON.readTree(pre.toFile()).path("max_image_size").path("longest_edge").asInt(tile);
      }
      if (vocab <= 0 || hidden <= 0 || context <= 0) {
        throw new IllegalArgumentException(
            modelDir.resolve("config.json")
                + " lacks text_config vocab_size, hidden_size or max_position_embeddings");
      }
      EngineConfig engine = EngineConfig.DEFAULT;
      return HEADROOM
          + LogitsBudget.directMemoryEstimate(
              LogitsBudget.DEFAULT_MAX_BYTES,
              vocab,
              hidden,
              context,
              // the one batch-size setting: the operator's inference.maxBatch (the cluster's
              // operator runs with the defaults)
              OperatorConfig.defaults().inference().maxBatch(),
              engine.visionTilesPerRun(),
              tile);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the model config in " + modelDir, e);
    }
  }

  /** Flink memory syntax, rounded up to whole MiB. */
  public static String mebibytes(long bytes) {
    return ((bytes + (1 << 20) - 1) >> 20) + "m";
  }
}
