package io.streamsight.deploy.cli;

import io.streamsight.vlm.runtime.RuntimeConfig;
import picocli.CommandLine.Option;

/** ONNX Runtime CPU thread options shared by the {@code vlm} commands. */
final class CpuRuntimeOptions {
  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all).")
  int threads;

  @Option(
      names = "--spin-wait",
      description = "Let ONNX Runtime's threads busy-wait (faster on an otherwise idle host).")
  boolean spinWait;

  /** {@code base} with these options applied. */
  RuntimeConfig applyTo(RuntimeConfig base) {
    return base.withThreads(threads, 0).withSpinWait(spinWait);
  }
}
