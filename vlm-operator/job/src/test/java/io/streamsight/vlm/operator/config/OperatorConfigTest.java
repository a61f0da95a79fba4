package io.streamsight.vlm.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    assertEquals(Duration.ofSeconds(2), c.checkpointInterval());
    assertEquals(Duration.ofSeconds(2), c.watermarks().outOfOrderness());
    assertEquals(256L << 20, c.images().cacheBytes());
    assertEquals(Duration.ofSeconds(10), c.images().fetchTimeout());
    assertEquals(List.of(Duration.ofMinutes(5)), c.digests().periods());
    assertEquals(DigestConfig.Similarity.MINILM, c.digests().similarity());
    assertEquals(List.of(), c.cameras());
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
            cameras:
              - {match: door, instruction: "Is the door open?"}
              - {match: "dock-*", maxNewTokens: 96, windowSize: 20s}
              - {match: "hw-?", windowSize: 4s, windowSlide: 2s}
            digests: {periods: [5m, 1h], similarity: words}
            ask: {maxNewTokens: 20}
            images: {maxTilesPerImage: 2}
            inference: {maxBatch: 16, maxWait: 5ms, sheddingClock: wall}
            checkpoint: {interval: 1m}
            """);
    assertEquals(Duration.ofSeconds(1), c.window().slide());
    assertEquals(4, c.window().maxFrames());
    assertEquals("Is the door open?", c.instructionFor("door"));
    assertEquals("Say what you see.", c.instructionFor("yard"));
    assertEquals(48, c.summaryTokensFor("door"));
    CameraSettings dock = c.forCamera("dock-3");
    assertEquals("Say what you see.", dock.instruction());
    assertEquals(96, dock.maxNewTokens());
    assertEquals(Duration.ofSeconds(20), dock.windowSize());
    assertEquals(Duration.ofSeconds(20), dock.windowSlide(), "tumbling unless a slide is given");
    assertEquals(Duration.ofSeconds(2), c.forCamera("hw-1").windowSlide());
    assertEquals(Duration.ofSeconds(1), c.forCamera("hw-12").windowSlide(), "no match: defaults");
    assertEquals(List.of(Duration.ofMinutes(5), Duration.ofHours(1)), c.digests().periods());
    assertEquals(DigestConfig.Similarity.WORDS, c.digests().similarity());
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
    assertEquals(
        "cameras[0].instruction", error("cameras: [{match: door, instruction: ' '}]\n").path());
    e = error("cameras: [{match: 'door/1'}]\n");
    assertEquals("cameras[0].match", e.path());
    assertTrue(e.getMessage().contains("camera glob"), e.getMessage());
    e = error("cameras: [{match: 'dock-*'}, {match: 'dock-*', maxNewTokens: 9}]\n");
    assertEquals("cameras[1].match", e.path());
    assertEquals("cameras[1].match", error("cameras: [{match: '*'}, {match: a}]\n").path());
    assertEquals(
        "cameras[0].windowSlide",
        error("cameras: [{match: a, windowSize: 2s, windowSlide: 3s}]\n").path());
    assertEquals("cameras[0].match", error("cameras: [{instruction: hi}]\n").path());
    assertEquals("digests.periods[1]", error("digests: {periods: [5m, 500ms]}\n").path());
    assertEquals("digests.periods[1]", error("digests: {periods: [5m, 5m]}\n").path());
    e = error("digests: {similarity: bert}\n");
    assertTrue(e.getMessage().endsWith("allowed: one of minilm, words"), e.getMessage());
    // The per-camera map of before is gone; an old file says which keys there are now.
    assertEquals("summary.cameras", error("summary: {cameras: {door: 'Is it open'}}\n").path());
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
    OperatorConfig c = load("cameras:\n  - {match: door, instruction: \"Open?\"}\n");
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
