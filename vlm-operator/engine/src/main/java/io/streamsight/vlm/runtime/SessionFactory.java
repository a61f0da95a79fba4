package io.streamsight.vlm.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the configured execution provider. {@code auto} walks TensorRT,
 * CUDA, CPU and logs what it picked and why it skipped the others; an explicitly requested provider
 * that this build lacks is an error, never a silent CPU fallback.
 */
public final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final RuntimeConfig config;
  private final ProviderProbe probe;
  private ExecutionProvider chosen;

  public SessionFactory(RuntimeConfig config, ProviderProbe probe) {
    this.config = config;
    this.probe = probe;
  }

  public OrtEnvironment environment() {
    return env;
  }

  /** The provider actually in use (after the first session was opened). */
  public synchronized ExecutionProvider chosen() {
    return chosen;
  }

  public synchronized OrtSession open(Path model) throws OrtException {
    List<ExecutionProvider> candidates =
        config.provider() == ExecutionProvider.AUTO
            ? List.of(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA, ExecutionProvider.CPU)
            : List.of(config.provider());
    if (chosen != null) {
      candidates = List.of(chosen);
    }
    OrtException last = null;
    for (ExecutionProvider p : candidates) {
      if (!probe.available(p)) {
        if (config.provider() != ExecutionProvider.AUTO) {
          throw new UnavailableProviderException(p);
        }
        LOG.info("execution provider {} not available in this ONNX Runtime build, skipping", p);
        continue;
      }
      try {
        OrtSession s = env.createSession(model.toString(), options(p));
        if (chosen == null) {
          LOG.info("ONNX Runtime execution provider: {} (requested {})", p, config.provider());
        }
        chosen = p;
        return s;
      } catch (OrtException e) {
        if (config.provider() != ExecutionProvider.AUTO) {
          throw e;
        }
        LOG.warn("execution provider {} failed for {}, falling back: {}", p, model, e.getMessage());
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
    throw new UnavailableProviderException(config.provider());
  }

  private SessionOptions options(ExecutionProvider p) throws OrtException {
    SessionOptions o = new SessionOptions();
    o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    RuntimeConfig.CpuThreads threads = config.threads();
    String spin = threads.spinWait() ? "1" : "0";
    o.addConfigEntry("session.intra_op.allow_spinning", spin);
    o.addConfigEntry("session.inter_op.allow_spinning", spin);
    if (threads.intraOp() > 0) {
      o.setIntraOpNumThreads(threads.intraOp());
    }
    if (threads.interOp() > 0) {
      o.setInterOpNumThreads(threads.interOp());
    }
    switch (p) {
      case TENSORRT -> {
        RuntimeConfig.TensorRt settings = config.tensorRt();
        OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(config.deviceId());
        trt.add("trt_fp16_enable", settings.fp16() ? "1" : "0");
        if (settings.workspaceBytes() > 0) {
          trt.add("trt_max_workspace_size", Long.toString(settings.workspaceBytes()));
        }
        if (settings.cacheDir() != null) {
          trt.add("trt_engine_cache_enable", "1");
          trt.add("trt_engine_cache_path", settings.cacheDir().resolve("engines").toString());
          trt.add("trt_timing_cache_enable", "1");
          trt.add("trt_timing_cache_path", settings.cacheDir().resolve("timing").toString());
        }
        o.addTensorrt(trt);
        // Nodes TensorRT cannot take run on CUDA rather than on the CPU.
        o.addCUDA(config.deviceId());
      }
      case CUDA -> o.addCUDA(config.deviceId());
      default -> {}
    }
    return o;
  }

  /** An explicitly requested execution provider is missing from this ONNX Runtime build. */
  public static final class UnavailableProviderException extends RuntimeException {
    public UnavailableProviderException(ExecutionProvider p) {
      super(
          "execution provider "
              + p
              + " was requested but this ONNX Runtime build does not offer it"
              + " (GPU providers need the onnxruntime_gpu artifact: build with -Pgpu, and the"
              + " CUDA/TensorRT libraries installed)");
    }
  }
}
