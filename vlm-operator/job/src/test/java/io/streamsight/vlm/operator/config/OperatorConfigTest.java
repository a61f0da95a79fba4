package io.streamsight.vlm.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigTest {
  @TempDir Path dir;

  private OperatorConfig load(String yaml) throws Exception {
    Path f = dir.resolve("operator.yaml");
    Files.writeString(f, yaml);
    return OperatorConfig.load(f);
  }

  @Test
  void defaultsToTumblingTenSecondWindowsOfEightFrames() {
    OperatorConfig c = OperatorConfig.defaults();
    assertEquals(Duration.ofSeconds(10), c.window().size());
    assertNull(c.window().slide());
    assertEquals(8, c.window().maxFrames());
    assertEquals(Duration.ofSeconds(30), c.inference().sheddingBudget());
  }

  @Test
  void readsNestedKeysAndPerCameraInstructions() throws Exception {
    OperatorConfig c =
        load(
            """
            window: {size: 5s, slide: 1s, maxFrames: 4}
            summary:
              instruction: Say what you see.
              cameras: {door: "Is the door open?"}
            inference: {maxBatch: 16, maxWait: 5ms, sheddingClock: wall}
            """);
    assertEquals(Duration.ofSeconds(1), c.window().slide());
    assertEquals(4, c.window().maxFrames());
    assertEquals("Is the door open?", c.instructionFor("door"));
    assertEquals("Say what you see.", c.instructionFor("yard"));
    assertEquals(16, c.inference().maxBatch());
    assertEquals(Duration.ofMillis(5), c.inference().maxWait());
    assertEquals(OperatorConfig.SheddingClock.WALL, c.inference().sheddingClock());
  }

  @Test
  void namesTheKeyOfABadValue() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> load("window:\n  size: ten seconds\n"));
    assertEquals("window.size", e.key());
    e = assertThrows(ConfigException.class, () -> load("window: {maxFrames: 0}\n"));
    assertEquals("window.maxFrames", e.key());
  }

  @Test
  void rejectsUnknownKeysInsteadOfIgnoringATypo() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> load("inference: {maxBatchSize: 4}\n"));
    assertEquals("inference.maxBatchSize", e.key());
  }
}
