package io.streamsight.vlm.runtime;

import java.nio.file.Path;

/**
 * ONNX Runtime settings.
 *
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default: all cores)
 * @param interOpThreads threads across independent operators (0 = default)
 * @param trtCacheDir TensorRT engine and timing caches (building an engine takes minutes; the cache
 *     makes the second start fast)
 * @param trtWorkspaceBytes TensorRT builder workspace limit
 * @param spinWait whether ONNX Runtime's worker threads busy-wait for work between operators. Off
 *     by default: the engine shares its cores with Kafka and Flink threads, and spinning workers
 *     starve them (2 cores, fixture model: the operator went from 71 to 105 windows/s and the
 *     engine alone from 105 to 128 with it off). Turn it on for a host that does nothing else.
 */
public record RuntimeConfig(
    ExecutionProvider provider,
    int deviceId,
    int intraOpThreads,
    int interOpThreads,
    Path trtCacheDir,
    long trtWorkspaceBytes,
    boolean trtFp16,
    boolean spinWait) {

  public static final RuntimeConfig CPU =
      new RuntimeConfig(ExecutionProvider.CPU, 0, 0, 0, null, 0, true, false);
  public static final RuntimeConfig AUTO =
      new RuntimeConfig(ExecutionProvider.AUTO, 0, 0, 0, null, 2L << 30, true, false);

  public RuntimeConfig {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0");
    }
  }

  public RuntimeConfig withProvider(ExecutionProvider p) {
    return new RuntimeConfig(
        p,
        deviceId,
        intraOpThreads,
        interOpThreads,
        trtCacheDir,
        trtWorkspaceBytes,
        trtFp16,
        spinWait);
  }

  public RuntimeConfig withThreads(int intra, int inter) {
    return new RuntimeConfig(
        provider, deviceId, intra, inter, trtCacheDir, trtWorkspaceBytes, trtFp16, spinWait);
  }

  public RuntimeConfig withTrtCacheDir(Path dir) {
    return new RuntimeConfig(
        provider,
        deviceId,
        intraOpThreads,
        interOpThreads,
        dir,
        trtWorkspaceBytes,
        trtFp16,
        spinWait);
  }

  public RuntimeConfig withSpinWait(boolean spin) {
    return new RuntimeConfig(
        provider,
        deviceId,
        intraOpThreads,
        interOpThreads,
        trtCacheDir,
        trtWorkspaceBytes,
        trtFp16,
        spin);
  }
}
