package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerConfigTest {
  @TempDir Path dir;

  private SamplerConfig load(String yaml) throws Exception {
    Path f = dir.resolve("sampler.yaml");
    Files.writeString(f, yaml);
    return SamplerConfig.load(f);
  }

  private String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws Exception {
    SamplerConfig c = load("");
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
            """);
    assertEquals("sampler-eu", c.applicationId());
    CameraSettings lobby = c.forCamera("lobby");
    assertEquals(0.3, lobby.noveltyThreshold());
    assertEquals(Duration.ofMillis(500), lobby.minGap());
    assertEquals(Duration.ofSeconds(20), lobby.maxGap());
    long expected = 0xffL | 3L << 54 | 3L << 62;
    assertEquals(expected, lobby.ignoredCells());
    assertEquals(0L, c.forCamera("gate").ignoredCells());
    assertEquals(Duration.ofSeconds(20), c.forCamera("gate").maxGap());
  }

  @Test
  void badValuesFailNamingTheKey() {
    assertTrue(error("maxGap: soon").contains("'maxGap'"));
    assertTrue(error("noveltyThreshold: high").contains("'noveltyThreshold'"));
    assertTrue(error("noveltyThreshold: 1.5").contains("noveltyThreshold"));
    assertTrue(error("cameras:\n  lobby:\n    minGap: 1x\n").contains("'cameras.lobby.minGap'"));
    assertTrue(
        error("cameras:\n  lobby:\n    treshold: 0.2\n").contains("'cameras.lobby.treshold'"));
    assertTrue(
        error("cameras:\n  lobby:\n    ignore: [\"xx\"]\n").contains("'cameras.lobby.ignore'"));
    String both = error("minGap: 40s\n");
    assertTrue(both.contains("minGap") && both.contains("maxGap"), both);
    assertTrue(error("cameras: 3\n").contains("'cameras'"));
  }
}
