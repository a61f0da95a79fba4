package io.streamsight.vlm.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * Sizes the logits buffer of a prefill and splits a batch so that buffer stays under a bound.
 *
 * <p>The exported decoders return logits for every position ({@code [rows, seq, vocab]}), although
 * generation only needs the last one. That buffer is direct memory the JVM must reserve: 8 prompts
 * of 832 tokens (one 720p image) with SmolVLM's 49,280-token vocabulary are 1.3 GB in one
 * allocation, and past 10,900 tokens a single row no longer fits in an {@code int} byte count. So
 * sizes are computed in {@code long}, a batch is run in groups whose prefill fits the bound, and a
 * prompt that alone exceeds it is refused with an error naming the sizes.
 */
public final class LogitsBudget {
  /**
   * Default bound on one prefill's logits buffer. Also what the local cluster reserves as
   * TaskManager off-heap memory for it ({@code FlinkConf}), so change both together.
   */
  public static final long DEFAULT_MAX_BYTES = 512L << 20;

  private final long maxBytes;

  public LogitsBudget(long maxBytes) {
    // ByteBuffer.allocateDirect takes an int capacity.
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "logits bound must be 1.." + Integer.MAX_VALUE + " bytes, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Bytes of a {@code [rows, seq, vocab]} tensor of {@code bytesPerValue}-byte values. */
  public static long bytes(long rows, long seq, long vocab, int bytesPerValue) {
    return Math.multiplyExact(
        Math.multiplyExact(rows, seq), Math.multiplyExact(vocab, bytesPerValue));
  }

  /**
   * Groups of batch indices, in order, whose left-padded prefill fits the bound, and the indices
   * refused because their prompt alone does not.
   */
  public record Plan(List<List<Integer>> groups, List<Integer> refused) {}

  public Plan plan(int[] promptTokens, int vocab, int bytesPerValue) {
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> refused = new ArrayList<>();
    List<Integer> group = new ArrayList<>();
    int groupSeq = 0;
    for (int i = 0; i < promptTokens.length; i++) {
      int len = promptTokens[i];
      if (bytes(1, len, vocab, bytesPerValue) > maxBytes) {
        refused.add(i);
        continue;
      }
      int seq = Math.max(groupSeq, len); // rows are left-padded to the longest
      if (!group.isEmpty() && bytes(group.size() + 1, seq, vocab, bytesPerValue) > maxBytes) {
        groups.add(group);
        group = new ArrayList<>();
        seq = len;
      }
      group.add(i);
      groupSeq = seq;
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return new Plan(groups, refused);
  }

  /** Why a prompt of {@code tokens} tokens is refused. */
  public String refusal(int tokens, int vocab, int bytesPerValue) {
    return "prompt of "
        + tokens
        + " tokens needs "
        + mib(bytes(1, tokens, vocab, bytesPerValue))
        + " MiB of logits in one prefill (vocabulary "
        + vocab
        + "), above the engine's bound of "
        + mib(maxBytes)
        + " MiB: send fewer images or fewer tiles per image";
  }

  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  /**
   * Direct memory one engine may hold at once, for sizing a TaskManager's off-heap memory: the
   * largest prefill logits buffer (the bound, or less if the model's whole context cannot reach
   * it), the prefill's input embeddings (same rows and positions, {@code hidden} wide), and one
   * vision-encoder run's pixels and mask. ONNX Runtime's own allocations (weights, KV caches,
   * activations) are native memory outside the JVM's direct-memory limit and are not counted here.
   */
  public static long directMemoryEstimate(
      long maxBytes,
      int vocab,
      int hidden,
      int contextTokens,
      int maxBatch,
      int tilesPerRun,
      int tileSize) {
    long logits = Math.min(maxBytes, bytes(maxBatch, contextTokens, vocab, Float.BYTES));
    long positions = logits / Math.max(1, (long) vocab * Float.BYTES);
    long embeds = bytes(positions, 1, hidden, Float.BYTES);
    long pixels = bytes(tilesPerRun, 3, (long) tileSize * tileSize, Float.BYTES);
    long mask = bytes(tilesPerRun, 1, (long) tileSize * tileSize, 1);
    return logits + embeds + pixels + mask;
  }
}
