package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineModelProviderTest {
  @Test
  void tensorRtCacheDirComesFromTheWorkersEnvironment() {
    var config =
        EngineModelProvider.engineConfig(
            Map.of(EngineModelProvider.TRT_CACHE_ENV, "/var/cache/streamsight/trt"));
    assertEquals(Path.of("/var/cache/streamsight/trt"), config.runtime().tensorRt().cacheDir());
  }

  @Test
  void withoutTheVariableTheEngineKeepsItsDefaults() {
    assertNull(EngineModelProvider.engineConfig(Map.of()).runtime().tensorRt().cacheDir());
    assertNull(
        EngineModelProvider.engineConfig(Map.of(EngineModelProvider.TRT_CACHE_ENV, " "))
            .runtime()
            .tensorRt()
            .cacheDir());
  }
}
