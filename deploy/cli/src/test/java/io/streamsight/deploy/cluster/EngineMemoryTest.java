package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.deploy.cluster.ClusterSpec.KafkaNode;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TaskManager off-heap memory is sized from the model the job will run. */
@Timeout(30)
class EngineMemoryTest {
  @TempDir Path dir;

  private static ClusterSpec spec(String tmMemory) {
    return new ClusterSpec(
        "abc", List.of(new KafkaNode(1, 9101, 9201)), 6123, 8081, 2, 2, "1g", tmMemory);
  }

  /** SmolVLM-256M-Instruct's sizes, as its config.json and preprocessor_config.json give them. */
  private Path smolVlm() throws Exception {
    Path m = Files.createDirectories(dir.resolve("smolvlm"));
    Files.writeString(
        m.resolve("config.json"),
        "{\"model_type\":\"idefics3\",\"text_config\":{\"vocab_size\":49280,"
            + "\"hidden_size\":576,\"max_position_embeddings\":8192}}");
    Files.writeString(
        m.resolve("preprocessor_config.json"), "{\"max_image_size\":{\"longest_edge\":512}}");
    return m;
  }

  @Test
  void shouldReserveTheLogitsBoundAndInputsForARealModel() throws Exception {
    long bytes = EngineMemory.taskOffHeapBytes(smolVlm());
    assertEquals("634m", EngineMemory.mebibytes(bytes));
  }

  @Test
  void shouldReserveOnlyHeadroomForTheFixtureOrAnUnknownModel() {
    assertEquals(EngineMemory.HEADROOM, EngineMemory.taskOffHeapBytes(null));
    assertEquals(EngineMemory.HEADROOM, EngineMemory.taskOffHeapBytes(dir.resolve("absent")));
    long fixture = EngineMemory.taskOffHeapBytes(VlmFixtureModel.write(dir.resolve("fixture")));
    assertTrue(fixture < EngineMemory.HEADROOM + (32L << 20), "fixture estimate " + fixture);
  }

  @Test
  void shouldNameTheConfigThatLacksTheSizes() throws Exception {
    Path m = Files.createDirectories(dir.resolve("odd"));
    Files.writeString(m.resolve("config.json"), "{\"model_type\":\"idefics3\"}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EngineMemory.taskOffHeapBytes(m));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }

  @Test
  void shouldPutTheEstimateIntoTheTaskManagersDirectMemoryLimit() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    FlinkConf conf = new FlinkConf(spec("2g"), layout, EngineMemory.taskOffHeapBytes(smolVlm()));
    assertEquals("634m", conf.settings().get("taskmanager.memory.task.off-heap.size"));
    assertEquals("0m", conf.settings().get("taskmanager.memory.managed.size"));
    String direct =
        conf.taskManagerJvmArgs(dir.resolve("tm.log")).stream()
            .filter(a -> a.startsWith("-XX:MaxDirectMemorySize="))
            .findFirst()
            .orElseThrow();
    long limit = Long.parseLong(direct.substring(direct.indexOf('=') + 1));
    assertTrue(limit >= (634L << 20) + (128L << 20), "direct memory limit " + limit);
  }

  @Test
  void shouldNotFitARealModelIntoTheSmallDefaultTaskManager() throws Exception {
    FlinkConf conf =
        new FlinkConf(
            spec("1280m"), new ClusterLayout(dir), EngineMemory.taskOffHeapBytes(smolVlm()));
    assertThrows(RuntimeException.class, () -> conf.taskManagerJvmArgs(dir.resolve("tm.log")));
    // the fixture model fits the default
    new FlinkConf(spec("1280m"), new ClusterLayout(dir)).taskManagerJvmArgs(dir.resolve("tm.log"));
  }
}
