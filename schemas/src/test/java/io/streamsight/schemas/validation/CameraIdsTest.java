package io.streamsight.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CameraIdsTest {
  @Test
  void acceptsTheIdCharsetUpToTheLengthLimit() {
    assertTrue(CameraIds.isValid("cam-7"));
    assertTrue(CameraIds.isValid("Lobby_North.2"));
    assertTrue(CameraIds.isValid("x".repeat(CameraIds.MAX_LENGTH)));
  }

  @Test
  void refusesEmptyTooLongAndForeignCharactersNamingTheField() {
    assertFalse(CameraIds.isValid(null));
    assertFalse(CameraIds.isValid(""));
    assertFalse(CameraIds.isValid("x".repeat(CameraIds.MAX_LENGTH + 1)));
    for (String bad : new String[] {"cam 7", "cam/7", "cam*", "kamera-ä", "cam\n7", "../etc"}) {
      assertFalse(CameraIds.isValid(bad), bad);
    }
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> CameraIds.check("--camera", "cam\n7"));
    assertEquals("--camera", e.field());
    assertTrue(e.getMessage().contains("U+000A at position 3"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "the bad value is escaped, not echoed raw");
  }

  @Test
  void boundsTheEchoedValueInTheMessage() {
    String huge = "a".repeat(1000) + "/";
    String msg = CameraIds.problem(huge);
    assertTrue(msg.contains("1001 characters"), msg);
    assertTrue(msg.length() < 200, msg);
  }
}
