package io.streamsight.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveConfigTest {
  @Test
  void shouldApplyDefaultsAndReadSizesAndDurations() {
    ArchiveConfig c =
        ArchiveConfig.parse(Map.of("dir", "/tmp/a", "max-disk", "500m", "retain", "12h"));
    assertEquals(500L << 20, c.maxDiskBytes());
    assertEquals(Duration.ofHours(12), c.retain());
    assertEquals(320, c.thumbnailEdge());
    assertEquals(16_000_000L, c.maxImagePixels());
    assertEquals(Duration.ofDays(30), ArchiveConfig.parse(Map.of("dir", "d")).retain());
    assertEquals(5L << 30, ArchiveConfig.parse(Map.of("dir", "d")).maxDiskBytes());
  }

  @Test
  void shouldFailNamingTheKey() {
    for (Map<String, String> bad :
        java.util.List.of(
            Map.of("dir", "d", "max-disk", "lots"),
            Map.of("dir", "d", "retain", "0s"),
            Map.of("dir", "d", "thumbnail-edge", "5"),
            Map.of("dir", "d", "nonsense", "1"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ArchiveConfig.parse(bad));
      String key = bad.keySet().stream().filter(k -> !k.equals("dir")).findFirst().get();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }
}
