package io.streamsight.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.schemas.validation.CameraIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CameraConfigTest {
  @Test
  void refusesCameraIdsOutsideTheSharedGrammar() {
    for (String bad : new String[] {"", "cam 1", "cam/1", "x".repeat(CameraIds.MAX_LENGTH + 1)}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> CameraConfig.of(bad, "video.mp4", PipelineSettings.defaults()));
      assertEquals(
          "id: " + CameraIds.problem(bad), e.getMessage(), "the same words as every other stage");
      assertTrue(e.getMessage().contains("camera id"), e.getMessage());
    }
    assertEquals(
        "cam-7.lobby_2",
        CameraConfig.of("cam-7.lobby_2", "video.mp4", PipelineSettings.defaults()).id());
  }
}
