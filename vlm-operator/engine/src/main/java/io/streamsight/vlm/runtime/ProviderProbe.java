package io.streamsight.vlm.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;

/** Which execution providers this ONNX Runtime build offers (an interface so tests can vary it). */
public interface ProviderProbe {
  boolean available(ExecutionProvider provider);

  ProviderProbe ONNX_RUNTIME =
      p -> {
        EnumSet<OrtProvider> have = OrtEnvironment.getAvailableProviders();
        return switch (p) {
          case TENSORRT -> have.contains(OrtProvider.TENSOR_RT);
          case CUDA -> have.contains(OrtProvider.CUDA);
          case CPU -> true;
          case AUTO -> true;
        };
      };
}
