package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EngineModelProviderTest {
  static final EngineModelProvider DEFAULTS = new EngineModelProvider("/models/smolvlm");

  @Test
  void tensorRtCacheDirComesFromTheWorkersEnvironment() {
    var config =
        DEFAULTS.engineConfig(
            Map.of(EngineModelProvider.TRT_CACHE_ENV, "/var/cache/streamsight/trt"));
    assertEquals(Path.of("/var/cache/streamsight/trt"), config.runtime().tensorRt().cacheDir());
  }

  @Test
  void withoutTheVariableTheEngineKeepsItsDefaults() {
    EngineConfig config = DEFAULTS.engineConfig(Map.of());
    assertNull(config.runtime().tensorRt().cacheDir());
    assertEquals(EngineConfig.DEFAULT, config);
    assertNull(
        DEFAULTS
            .engineConfig(Map.of(EngineModelProvider.TRT_CACHE_ENV, " "))
            .runtime()
            .tensorRt()
            .cacheDir());
  }

  @Test
  void variantProviderFp16AndGpuChosenAtSubmissionReachTheEngine() {
    var options = new EngineOptions(ModelVariant.Q4, ExecutionProvider.TENSORRT, false);
    ModelProvider onGpu = new EngineModelProvider("/models/smolvlm", options, 0).onGpu(2);
    EngineConfig config = ((EngineModelProvider) onGpu).engineConfig(Map.of());
    assertEquals(ModelVariant.Q4, config.variant());
    assertEquals(ExecutionProvider.TENSORRT, config.runtime().provider());
    assertFalse(config.runtime().tensorRt().fp16());
    assertEquals(2, config.runtime().deviceId());
    assertTrue(DEFAULTS.engineConfig(Map.of()).runtime().tensorRt().fp16());
  }

  @Test
  void differentVariantsOrGpusAreDifferentServices() {
    var q4 =
        new EngineModelProvider(
            "/models/smolvlm", EngineOptions.DEFAULT.withVariant(ModelVariant.Q4), 0);
    assertNotEquals(DEFAULTS.key(), q4.key());
    assertNotEquals(DEFAULTS.key(), DEFAULTS.onGpu(1).key());
    assertEquals(Path.of("/models/smolvlm").toAbsolutePath() + " [q4, auto, gpu 0]", q4.key());
  }
}
