package io.streamsight.ingest.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void capsMaxEdgeSoAWorstCaseJpegFitsTheFramesTopic() {
    int limit = io.streamsight.schemas.topics.Topics.FRAMES.maxMessageBytes();
    assertEquals(1664, PipelineSettings.MAX_EDGE_LIMIT);
    assertTrue(PipelineSettings.worstCaseFrameBytes(1664) <= limit);
    assertTrue(PipelineSettings.worstCaseFrameBytes(1665) > limit);
    new PipelineSettings(5, 1664, 100);
    String why =
        assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(5, 1920, 85))
            .getMessage();
    assertTrue(why.startsWith("maxEdge: got 1920"), why);
    assertTrue(why.contains("cameras.frames") && why.contains("16..1664"), why);
  }
}
