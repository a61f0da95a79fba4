package io.streamsight.vlm.runtime;

import java.nio.file.Path;

/**
 * ONNX Runtime settings: which provider, and its CPU-thread and TensorRT settings grouped so each
 * {@code with...} copy names only what it changes.
 *
 * @param deviceId GPU index for CUDA and TensorRT
 */
public record RuntimeConfig(
    ExecutionProvider provider, int deviceId, CpuThreads threads, TensorRt tensorRt) {

  public static final RuntimeConfig CPU =
      new RuntimeConfig(ExecutionProvider.CPU, 0, CpuThreads.DEFAULT, new TensorRt(null, 0, true));
  public static final RuntimeConfig AUTO =
      new RuntimeConfig(
          ExecutionProvider.AUTO, 0, CpuThreads.DEFAULT, new TensorRt(null, 2L << 30, true));

  /**
   * @param intraOp threads inside one operator (0 = ONNX Runtime's default: all cores)
   * @param interOp threads across independent operators (0 = default)
   * @param spinWait whether ONNX Runtime's worker threads busy-wait for work between operators. Off
   *     by default: the engine shares its cores with Kafka and Flink threads, and spinning workers
   *     starve them (2 cores, fixture model: the operator went from 71 to 105 windows/s and the
   *     engine alone from 105 to 128 with it off). Turn it on for a host that does nothing else.
   */
  public record CpuThreads(int intraOp, int interOp, boolean spinWait) {
    public static final CpuThreads DEFAULT = new CpuThreads(0, 0, false);

    public CpuThreads {
      if (intraOp < 0 || interOp < 0) {
        throw new IllegalArgumentException("thread counts must be >= 0");
      }
    }
  }

  /**
   * @param cacheDir TensorRT engine and timing caches (building an engine takes minutes; the cache
   *     makes the second start fast); null = no cache
   * @param workspaceBytes TensorRT builder workspace limit (0 = TensorRT's default)
   * @param fp16 whether TensorRT may run layers in fp16
   */
  public record TensorRt(Path cacheDir, long workspaceBytes, boolean fp16) {}

  public RuntimeConfig withProvider(ExecutionProvider p) {
    return new RuntimeConfig(p, deviceId, threads, tensorRt);
  }

  public RuntimeConfig withThreads(int intra, int inter) {
    return withCpu(new CpuThreads(intra, inter, threads.spinWait()));
  }

  public RuntimeConfig withSpinWait(boolean spin) {
    return withCpu(new CpuThreads(threads.intraOp(), threads.interOp(), spin));
  }

  /**
   * @param id GPU index for CUDA and TensorRT (on a Flink TaskManager: from its GPU external
   *     resource)
   */
  public RuntimeConfig withDeviceId(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("GPU device index must be >= 0, got " + id);
    }
    return new RuntimeConfig(provider, id, threads, tensorRt);
  }

  /** Whether TensorRT may run layers in fp16 (on in {@link #AUTO} and {@link #CPU}). */
  public RuntimeConfig withTensorRtFp16(boolean fp16) {
    return new RuntimeConfig(
        provider,
        deviceId,
        threads,
        new TensorRt(tensorRt.cacheDir(), tensorRt.workspaceBytes(), fp16));
  }

  public RuntimeConfig withTrtCacheDir(Path dir) {
    return new RuntimeConfig(
        provider, deviceId, threads, new TensorRt(dir, tensorRt.workspaceBytes(), tensorRt.fp16()));
  }

  private RuntimeConfig withCpu(CpuThreads t) {
    return new RuntimeConfig(provider, deviceId, t, tensorRt);
  }
}
