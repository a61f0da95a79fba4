package io.streamsight.vlm.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class OperatorConfigTest {
  @TempDir Path dir;

  private OperatorConfig load(String yaml) throws Exception {
    Path f = dir.resolve("operator.yaml");
    Files.writeString(f, yaml);
    return OperatorConfig.load(f);
  }

  private ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml));
  }

  @Test
  void defaultsToTumblingTenSecondWindowsOfEightFrames() throws Exception {
    OperatorConfig c = OperatorConfig.defaults();
    assertEquals(Duration.ofSeconds(10), c.window().size());
    assertNull(c.window().slide());
    assertEquals(8, c.window().maxFrames());
    assertEquals(Duration.ofSeconds(30), c.inference().sheddingBudget());
    assertEquals(Duration.ofMillis(20), c.inference().maxWait());
    assertEquals(OperatorConfig.SheddingClock.FRONTIER, c.inference().sheddingClock());
    assertEquals(48, c.askMaxNewTokens());
    assertEquals(0, c.maxTilesPerImage());
    assertEquals(Duration.ofSeconds(10), c.checkpointInterval());
    assertEquals(c, load(""));
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
            ask: {maxNewTokens: 20}
            images: {maxTilesPerImage: 2}
            inference: {maxBatch: 16, maxWait: 5ms, sheddingClock: wall}
            checkpoint: {interval: 1m}
            """);
    assertEquals(Duration.ofSeconds(1), c.window().slide());
    assertEquals(4, c.window().maxFrames());
    assertEquals("Is the door open?", c.instructionFor("door"));
    assertEquals("Say what you see.", c.instructionFor("yard"));
    assertEquals(20, c.askMaxNewTokens());
    assertEquals(2, c.maxTilesPerImage());
    assertEquals(16, c.inference().maxBatch());
    assertEquals(Duration.ofMillis(5), c.inference().maxWait());
    assertEquals(256, c.inference().queueCapacity());
    assertEquals(OperatorConfig.SheddingClock.WALL, c.inference().sheddingClock());
    assertEquals(Duration.ofMinutes(1), c.checkpointInterval());
  }

  @Test
  void namesTheKeyOfABadValue() {
    ConfigException e = error("window:\n  size: ten seconds\n");
    assertEquals("window.size", e.path());
    assertTrue(e.getMessage().contains("operator.yaml: window.size: got 'ten seconds'"));
    e = error("window: {maxFrames: 0}\n");
    assertEquals("window.maxFrames", e.path());
    assertTrue(e.getMessage().endsWith("got 0; allowed: an integer >= 1"), e.getMessage());
    e = error("window: {size: 5s, slide: 10s}\n");
    assertEquals("window.slide", e.path());
    assertTrue(e.getMessage().contains("<= window.size (5s)"), e.getMessage());
    assertEquals("inference.maxWait", error("inference: {maxWait: 0}\n").path());
    assertEquals("summary.cameras.door", error("summary: {cameras: {door: ' '}}\n").path());
    e = error("inference: {sheddingClock: later}\n");
    assertTrue(e.getMessage().endsWith("allowed: one of frontier, wall"), e.getMessage());
    e = error("summary: {maxNewTokens: '48'}\n");
    assertTrue(e.getMessage().endsWith("got '48' (text); allowed: a whole number"));
  }

  @Test
  void rejectsUnknownKeysInsteadOfIgnoringATypo() {
    ConfigException e = error("inference: {maxBatchSize: 4}\n");
    assertEquals("inference.maxBatchSize", e.path());
    assertTrue(e.getMessage().contains("maxBatch, maxWait"), e.getMessage());
    // One key convention: nested mappings, not dotted keys.
    assertEquals("window.size", error("window.size: 5s\n").path());
  }

  @Test
  void travelsToFlinkAsJavaSerialization() throws Exception {
    OperatorConfig c = load("summary:\n  cameras: {door: \"Open?\"}\n");
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }
}
