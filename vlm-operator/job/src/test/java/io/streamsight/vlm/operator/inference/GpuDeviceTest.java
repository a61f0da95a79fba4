package io.streamsight.vlm.operator.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GpuDeviceTest {
  /** What Flink's GPU driver hands a TaskManager: one info per GPU, with an "index" property. */
  record Gpu(Map<String, String> properties) implements ExternalResourceInfo {
    @Override
    public Optional<String> getProperty(String key) {
      return Optional.ofNullable(properties.get(key));
    }

    @Override
    public Collection<String> getKeys() {
      return properties.keySet();
    }
  }

  @Test
  void shouldTakeTheLowestIndexFlinkAssigned() {
    GpuDevice d =
        GpuDevice.from(List.of(new Gpu(Map.of("index", "3")), new Gpu(Map.of("index", "1"))));
    assertEquals(1, d.index());
    assertTrue(d.source().contains("external resource 'gpu'"), d.source());
  }

  @Test
  void shouldFallBackToGpuZeroWithoutTheResource() {
    GpuDevice none = GpuDevice.from(List.of());
    assertEquals(0, none.index());
    assertTrue(none.source().startsWith("default"), none.source());
    assertEquals(0, GpuDevice.from(List.of(new Gpu(Map.of("index", "n/a")))).index());
  }
}
