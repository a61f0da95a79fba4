package io.streamsight.vlm.runtime;

import java.util.Locale;

/** Where ONNX Runtime executes: {@code auto} tries TensorRT, then CUDA, then CPU. */
public enum ExecutionProvider {
  AUTO,
  TENSORRT,
  CUDA,
  CPU;

  public static ExecutionProvider parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown execution provider '" + name + "', expected auto, tensorrt, cuda or cpu", e);
    }
  }
}
