package io.streamsight.ingest.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PipelineSettingsTest {
  @Test
  void capsTheLongestEdgeKeepingAspectAndNeverUpscales() {
    PipelineSettings s = PipelineSettings.defaults();
    assertArrayEquals(new int[] {1024, 576}, s.outputSize(1920, 1080));
    assertArrayEquals(new int[] {576, 1024}, s.outputSize(1080, 1920));
    assertArrayEquals(new int[] {640, 480}, s.outputSize(640, 480));
  }

  @Test
  void rejectsBadValuesNamingTheOption() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(0, 1024, 85))
            .getMessage()
            .contains("fps"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(5, 4, 85))
            .getMessage()
            .contains("maxEdge"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(5, 1024, 0))
            .getMessage()
            .contains("jpegQuality"));
  }
}
