package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.deploy.cluster.ClusterSpec.KafkaNode;
import io.streamsight.deploy.cluster.ProcessLauncher.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class ClusterConfigTest {
  @TempDir Path dir;

  private static ClusterSpec threeNodes() {
    return new ClusterSpec(
        "abc",
        List.of(
            new KafkaNode(1, 9101, 9201),
            new KafkaNode(2, 9102, 9202),
            new KafkaNode(3, 9103, 9203)),
        6123,
        8081,
        2,
        2,
        "768m",
        "1280m");
  }

  @Test
  void everyNodeSharesOneVotersStringAndTopicsGetThreeReplicasWithMinIsrTwo() {
    ClusterSpec spec = threeNodes();
    assertEquals("1@127.0.0.1:9201,2@127.0.0.1:9202,3@127.0.0.1:9203", spec.voters());
    assertEquals("127.0.0.1:9101,127.0.0.1:9102,127.0.0.1:9103", spec.bootstrapServers());
    assertEquals(3, spec.replicationFactor());
    assertEquals(2, spec.minInsyncReplicas());
    ClusterSpec single =
        new ClusterSpec("x", List.of(new KafkaNode(1, 1, 2)), 3, 4, 1, 1, "768m", "1g");
    assertEquals(1, single.replicationFactor());
    assertEquals(1, single.minInsyncReplicas());
  }

  @Test
  void specSurvivesTheRoundTripThroughClusterProperties() {
    ClusterLayout layout = new ClusterLayout(dir);
    layout.saveSpec(threeNodes());
    assertEquals(threeNodes(), layout.loadSpec().orElseThrow());
  }

  @Test
  void aMissingOrBadKeyIsNamedInTheError() {
    Properties p = threeNodes().toProperties();
    p.remove("flink.rest-port");
    var e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.fromProperties(p));
    assertTrue(e.getMessage().contains("flink.rest-port"), e.getMessage());
    p.setProperty("flink.rest-port", "eighty");
    e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.fromProperties(p));
    assertTrue(e.getMessage().contains("'eighty'"), e.getMessage());
  }

  @Test
  void freshSpecPicksDistinctPorts() {
    ClusterSpec s = ClusterSpec.fresh(3, 2, 2, "768m", "1280m");
    var ports = new java.util.HashSet<Integer>();
    s.nodes().forEach(n -> assertTrue(ports.add(n.port()) && ports.add(n.controllerPort())));
    assertTrue(ports.add(s.flinkRestPort()) && ports.add(s.flinkRpcPort()));
  }

  @Test
  void brokerProcessesAreClusterNodesThatLeaveTopicCreationToUp() {
    ClusterLayout layout = new ClusterLayout(dir);
    JavaProcess b = new ClusterProcesses(threeNodes(), layout).broker(threeNodes().nodes().get(1));
    assertEquals("kafka-2", b.name());
    String args = String.join(" ", b.args());
    assertTrue(args.startsWith("broker --node-id 2 --port 9102 --controller-port 9202"), args);
    assertTrue(args.contains("--voters " + threeNodes().voters()), args);
    assertTrue(args.contains("--cluster-id abc"), args);
    assertTrue(args.contains("--no-create-topics"), args);
    assertTrue(args.contains("--prop offsets.topic.replication.factor=3"), args);
    assertTrue(args.contains("--prop transaction.state.log.min.isr=2"), args);
    assertTrue(args.contains(layout.kafkaData(2).toString()), args);
  }

  @Test
  void flinkConfigYamlParsesAndPointsCheckpointsIntoTheClusterDir() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    FlinkConf conf = new FlinkConf(threeNodes(), layout);
    conf.write();
    Map<String, Object> yaml =
        new Yaml().load(Files.readString(layout.flinkConf().resolve("config.yaml")));
    assertEquals("8081", yaml.get("rest.port"));
    assertEquals("127.0.0.1", yaml.get("rest.bind-address"));
    assertEquals("6123", yaml.get("jobmanager.rpc.port"));
    assertEquals("2", yaml.get("taskmanager.numberOfTaskSlots"));
    assertEquals("4", yaml.get("parallelism.default"));
    assertEquals("parent-first", yaml.get("classloader.resolve-order"));
    assertEquals(
        layout.flinkCheckpoints().toUri().toString(), yaml.get("execution.checkpointing.dir"));
    assertTrue(Files.exists(layout.flinkConf().resolve("log4j.properties")));
  }

  @Test
  void flinkProcessesGetJvmMemoryFromFlinksOwnDerivation() {
    ClusterLayout layout = new ClusterLayout(dir);
    ClusterProcesses procs = new ClusterProcesses(threeNodes(), layout);
    FlinkConf conf = new FlinkConf(threeNodes(), layout);
    JavaProcess jm = procs.jobManager(conf);
    assertEquals(FlinkConf.JOB_MANAGER_MAIN, jm.mainClass());
    assertTrue(jm.jvmArgs().stream().anyMatch(a -> a.startsWith("-Xmx")), jm.jvmArgs().toString());
    assertEquals(List.of("--configDir", layout.flinkConf().toString()), jm.args().subList(0, 2));
    List<JavaProcess> tms = procs.taskManagers(conf);
    assertEquals(2, tms.size());
    JavaProcess tm = tms.get(1);
    assertEquals("flink-taskmanager-2", tm.name());
    assertTrue(tm.jvmArgs().stream().anyMatch(a -> a.startsWith("-XX:MaxDirectMemorySize=")));
    assertTrue(tm.args().contains("taskmanager.resource-id=taskmanager-2"), tm.args().toString());
    assertTrue(
        tm.args().stream().anyMatch(a -> a.startsWith("taskmanager.memory.network.max=")),
        tm.args().toString());
  }

  @Test
  void stagesAreLaunchedOnlyWithCommandsAndOptionsThisBuildHas() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    ClusterLayout layout = new ClusterLayout(dir);
    ClusterOptions opts =
        new ClusterOptions(
            dir,
            "file:cam.mp4",
            "door",
            dir.resolve("m"),
            3,
            2,
            2,
            2,
            "768m",
            "1g",
            true,
            java.time.Duration.ofSeconds(5));
    Map<String, java.util.Set<String>> commands =
        Map.of(
            "sampler", java.util.Set.of("--bootstrap", "--state-dir"),
            "operator", java.util.Set.of("--bootstrap", "--model", "--jobmanager", "--local"));
    StagePlan plan = new StagePlan(opts, threeNodes(), layout, commands);
    List<JavaProcess> stages = plan.pipeline();
    assertEquals(
        List.of("sampler-1", "sampler-2", "operator"),
        stages.stream().map(JavaProcess::name).toList());
    assertTrue(
        plan.notes().stream().anyMatch(n -> n.contains("'ingest'")), plan.notes().toString());
    assertTrue(!stages.get(0).args().equals(stages.get(1).args()), "samplers share a state dir");
    assertEquals(
        List.of(
            "operator",
            "--bootstrap",
            threeNodes().bootstrapServers(),
            "--model",
            dir.resolve("m").toAbsolutePath().toString(),
            "--jobmanager",
            "127.0.0.1:8081"),
        stages.get(2).args());

    Map<String, java.util.Set<String>> withIngest = new java.util.HashMap<>(commands);
    withIngest.put(
        "ingest",
        java.util.Set.of("--bootstrap", "--camera", "--source", "--config", "--realtime"));
    JavaProcess ingest = new StagePlan(opts, threeNodes(), layout, withIngest).pipeline().get(0);
    assertEquals(
        List.of(
            "ingest",
            "--bootstrap",
            threeNodes().bootstrapServers(),
            "--camera",
            "door",
            "--source",
            "file:cam.mp4",
            "--realtime"),
        ingest.args());
  }

  @Test
  void theOperatorJobGetsTheVariantAndProviderOfClusterUp() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    ClusterOptions opts =
        new ClusterOptions(
            dir,
            null,
            "cam-1",
            dir.resolve("m"),
            3,
            2,
            2,
            0,
            "768m",
            "1g",
            true,
            java.time.Duration.ofSeconds(5),
            new io.streamsight.vlm.operator.inference.EngineOptions(
                io.streamsight.vlm.model.ModelVariant.Q4,
                io.streamsight.vlm.runtime.ExecutionProvider.CUDA,
                false),
            ClusterSpec.LOOPBACK);
    Map<String, java.util.Set<String>> commands =
        Map.of(
            "operator",
            java.util.Set.of(
                "--bootstrap",
                "--model",
                "--jobmanager",
                "--variant",
                "--provider",
                "--tensorrt-fp16"));
    List<String> args =
        new StagePlan(opts, threeNodes(), new ClusterLayout(dir), commands)
            .pipeline()
            .get(0)
            .args();
    assertEquals(
        List.of("--variant", "q4", "--provider", "cuda", "--no-tensorrt-fp16"),
        args.subList(args.size() - 5, args.size()));
  }

  @Test
  void aServerModelGoesToTheOperatorJobAsItsUrlAndKeyFileWithoutAFixture() throws Exception {
    var server = io.streamsight.vlm.remote.RemoteModelConfig.of("http://gpu-box:8000/v1", "qwen");
    server =
        new io.streamsight.vlm.remote.RemoteModelConfig(
            server.baseUrl(),
            server.model(),
            "/run/secrets/key",
            null,
            server.maxConcurrent(),
            server.timeout(),
            server.maxRetries(),
            server.maxBackoff(),
            server.maxImages(),
            server.maxImageEdge(),
            server.breakerFailures(),
            server.breakerOpenFor());
    ClusterOptions opts =
        new ClusterOptions(
            dir,
            null,
            "cam-1",
            null,
            3,
            2,
            2,
            0,
            "768m",
            "1g",
            true,
            java.time.Duration.ofSeconds(5),
            io.streamsight.vlm.operator.inference.EngineOptions.DEFAULT,
            ClusterSpec.LOOPBACK,
            server);
    Map<String, java.util.Set<String>> commands =
        Map.of(
            "operator",
            java.util.Set.of(
                "--bootstrap", "--model", "--model-name", "--api-key-file", "--jobmanager"),
            StagePlan.MODEL_FIXTURE,
            java.util.Set.of("--dir"));
    StagePlan plan = new StagePlan(opts, threeNodes(), new ClusterLayout(dir), commands);
    assertTrue(plan.modelFixture().isEmpty(), "no fixture for a server model");
    List<String> args = plan.pipeline().get(0).args();
    int at = args.indexOf("--model");
    assertEquals(
        List.of(
            "--model",
            "http://gpu-box:8000/v1",
            "--model-name",
            "qwen",
            "--api-key-file",
            "/run/secrets/key"),
        args.subList(at, at + 6));
  }

  @Test
  void withoutAModelTheFixtureIsMadeOnceAndTheJobWaitsForAModel() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    ClusterOptions opts = ClusterOptions.defaults(dir);
    Map<String, java.util.Set<String>> commands =
        Map.of(
            "model fixture", java.util.Set.of("--dir"),
            "operator", java.util.Set.of("--bootstrap", "--model", "--jobmanager"));
    StagePlan plan = new StagePlan(opts, threeNodes(), layout, commands);
    JavaProcess fixture = plan.modelFixture().orElseThrow();
    assertEquals(
        List.of("model", "fixture", "--dir", layout.modelDir().toString()), fixture.args());
    assertEquals(List.of(), plan.pipeline(), "no model dir yet: no job");
    assertTrue(
        plan.notes().stream().anyMatch(n -> n.contains("no model at")), plan.notes().toString());

    Files.createDirectories(layout.modelDir());
    StagePlan again = new StagePlan(opts, threeNodes(), layout, commands);
    assertTrue(again.modelFixture().isEmpty(), "fixture made by an earlier up is reused");
    assertEquals(List.of("operator"), again.pipeline().stream().map(JavaProcess::name).toList());

    StagePlan none =
        new StagePlan(opts, threeNodes(), new ClusterLayout(dir.resolve("x")), Map.of());
    assertTrue(none.modelFixture().isEmpty());
    assertTrue(
        none.notes().stream().anyMatch(n -> n.contains("'model fixture'")),
        none.notes().toString());
  }

  @Test
  void processesRunFromAPrivateCopySoRebuildsCannotSwapJarsUnderThem() throws Exception {
    Path build = dir.resolve("build");
    Files.createDirectories(build.resolve("lib"));
    Files.writeString(build.resolve("deploy-1.jar"), "v1");
    Files.writeString(build.resolve("lib").resolve("schemas-0.1.0-SNAPSHOT.jar"), "s1");
    Files.writeString(build.resolve("lib").resolve("kafka-clients-4.1.1.jar"), "k");
    Distribution d = Distribution.ofJar(Path.of("java"), build.resolve("deploy-1.jar"));
    Path copy = dir.resolve("cluster").resolve("dist");

    Distribution s = d.snapshotInto(copy, false);
    assertEquals(copy.resolve("streamsight.jar"), s.jar());
    assertEquals(copy.resolve("streamsight.jar") + ":" + copy.resolve("lib") + "/*", s.classPath());
    // A rebuild rewrites our jars in place: the copy keeps the old content.
    Files.writeString(build.resolve("deploy-1.jar"), "v2");
    Files.writeString(build.resolve("lib").resolve("schemas-0.1.0-SNAPSHOT.jar"), "s2");
    assertEquals("v1", Files.readString(copy.resolve("streamsight.jar")));
    assertEquals("s1", Files.readString(copy.resolve("lib").resolve("schemas-0.1.0-SNAPSHOT.jar")));
    assertTrue(
        Files.isSameFile(
            build.resolve("lib").resolve("kafka-clients-4.1.1.jar"),
            copy.resolve("lib").resolve("kafka-clients-4.1.1.jar")),
        "released jars are linked, not copied");

    // While processes run from the copy it is reused; otherwise refreshed.
    d.snapshotInto(copy, true);
    assertEquals("v1", Files.readString(copy.resolve("streamsight.jar")));
    d.snapshotInto(copy, false);
    assertEquals("v2", Files.readString(copy.resolve("streamsight.jar")));
  }
}
