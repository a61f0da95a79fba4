package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
class SamplerConfigTest {
  @TempDir Path dir;

  private SamplerConfig load(String yaml) throws Exception {
    Path f = dir.resolve("sampler.yaml");
    Files.writeString(f, yaml);
    return SamplerConfig.load(f);
  }

  private ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml));
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws Exception {
    SamplerConfig c = load("");
    assertEquals(SamplerConfig.standard(), c);
    assertEquals(SamplerConfig.DEFAULT_APPLICATION_ID, c.applicationId());
    assertEquals(CameraSettings.DEFAULTS, c.forCamera("any"));
    assertEquals(Duration.ofSeconds(30), c.defaults().maxGap());
    assertEquals(Duration.ofSeconds(1), c.defaults().minGap());
  }

  @Test
  void camerasOverrideTheDefaultsAndInheritTheRest() throws Exception {
    SamplerConfig c =
        load(
            """
            applicationId: sampler-eu
            noveltyThreshold: 0.3
            maxGap: 20s
            cameras:
              lobby:
                minGap: 500ms
                ignore:
                  - "xxxxxxxx"
                  - "........"
                  - "........"
                  - "........"
                  - "........"
                  - "........"
                  - "......xx"
                  - "......xx"
              gate: {noveltyThreshold: 1}
            """);
    assertEquals("sampler-eu", c.applicationId());
    CameraSettings lobby = c.forCamera("lobby");
    assertEquals(0.3, lobby.noveltyThreshold());
    assertEquals(Duration.ofMillis(500), lobby.minGap());
    assertEquals(Duration.ofSeconds(20), lobby.maxGap());
    long expected = 0xffL | 3L << 54 | 3L << 62;
    assertEquals(expected, lobby.ignoredCells());
    assertEquals(1.0, c.forCamera("gate").noveltyThreshold());
    assertEquals(0L, c.forCamera("gate").ignoredCells());
    assertEquals(Duration.ofSeconds(20), c.forCamera("other").maxGap());
  }

  @Test
  void anApplicationIdThatIsNotTextFailsClearly() {
    ConfigException e = error("applicationId: 123\n");
    assertEquals("applicationId", e.path());
    assertEquals(
        dir.resolve("sampler.yaml") + ": applicationId: got 123 (a number); allowed: text",
        e.getMessage());
  }

  @Test
  void badValuesFailNamingTheKey() {
    assertTrue(error("maxGap: soon").getMessage().contains("maxGap: got 'soon' (text)"));
    assertTrue(
        error("noveltyThreshold: high")
            .getMessage()
            .endsWith("noveltyThreshold: got 'high' (text); allowed: a number"));
    assertTrue(
        error("noveltyThreshold: 1.5")
            .getMessage()
            .endsWith("noveltyThreshold: got 1.5; allowed: a number in (0, 1]"));
    assertEquals("cameras.lobby.minGap", error("cameras:\n  lobby:\n    minGap: 1x\n").path());
    ConfigException typo = error("cameras:\n  lobby:\n    treshold: 0.2\n");
    assertEquals("cameras.lobby.treshold", typo.path());
    assertTrue(typo.getMessage().contains("[noveltyThreshold, minGap, maxGap, ignore]"));
    ConfigException grid = error("cameras:\n  lobby:\n    ignore: [\"xx\"]\n");
    assertEquals("cameras.lobby.ignore", grid.path());
    assertTrue(grid.getMessage().contains("got 1 rows; allowed: 8 rows of 8 characters"));
    String both = error("minGap: 40s\n").getMessage();
    assertTrue(both.contains("minGap: got 40s") && both.contains("maxGap is 30s"), both);
    assertEquals("cameras.lobby.maxGap", error("cameras: {lobby: {maxGap: 500ms}}\n").path());
    assertTrue(error("cameras: 3\n").getMessage().contains("cameras: got 3 (a number)"));
  }
}
