package io.streamsight.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CameraGlobTest {
  @Test
  void matchesWholeIdsWithStarAndQuestionMark() {
    assertTrue(CameraGlob.matches("*", "cam-1"));
    assertTrue(CameraGlob.matches("cam-*", "cam-"));
    assertTrue(CameraGlob.matches("cam-*", "cam-77"));
    assertTrue(CameraGlob.matches("cam-?", "cam-7"));
    assertFalse(CameraGlob.matches("cam-?", "cam-77"));
    assertFalse(CameraGlob.matches("cam-7", "cam-77"), "not a substring search");
    assertFalse(CameraGlob.matches("cam-7", "xcam-7"));
    assertTrue(CameraGlob.matches("*-north*", "door-north-2"));
    assertTrue(CameraGlob.matches("a*b*c", "aXbYbZc"));
    assertFalse(CameraGlob.matches("a*b*c", "aXbYbZ"));
    assertTrue(CameraGlob.matches("c.m-1", "c.m-1"), "'.' is literal, not a regex dot");
    assertFalse(CameraGlob.matches("c.m-1", "cam-1"));
  }

  @Test
  void refusesCharactersOutsideTheGrammar() {
    assertNull(CameraGlob.problem("cam-*"));
    for (String bad : new String[] {"", "cam-[0-9]", "cam 1", "cam\\*", "(cam)", "cam|door"}) {
      assertNotNull(CameraGlob.problem(bad), bad);
    }
    assertNotNull(CameraGlob.problem("*".repeat(CameraGlob.MAX_LENGTH + 1)));
    assertThrows(InvalidRecordException.class, () -> CameraGlob.check("cameraGlob", "cam+"));
  }

  @Test
  void aPathologicalGlobMatchesInPolynomialTime() {
    // "*a*a*...*b" against "aaaa...": a backtracking regex takes exponential-ish time here.
    String glob = "*a".repeat(60) + "*b";
    String id = "a".repeat(CameraIds.MAX_LENGTH);
    for (int i = 0; i < 1000; i++) {
      assertFalse(CameraGlob.matches(glob, id));
    }
  }
}
