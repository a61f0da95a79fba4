package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.streamsight.deploy.cluster.ClusterSpec.KafkaNode;
import io.streamsight.deploy.cluster.ProcessLauncher.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code down --purge} deletes only a cluster directory; {@code up} submits one operator job per
 * cluster and resumes from the savepoint {@code down} took; the REST calls against a small local
 * HTTP double of the Flink REST API.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterOperationsTest {
  @TempDir Path dir;
  private HttpServer flink;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopDouble() {
    if (flink != null) {
      flink.stop(0);
    }
  }

  private static ClusterSpec spec() {
    return new ClusterSpec(
        "abc", List.of(new KafkaNode(1, 9101, 9201)), 6123, 8081, 1, 1, "768m", "1g");
  }

  /** A Flink REST double on loopback answering {@code path -> json}. */
  private String flinkDouble(Map<String, String> answers) throws IOException {
    flink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    flink.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
          requests.add(key + " " + body);
          String answer = answers.get(key);
          byte[] out = (answer == null ? "{}" : answer).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(answer == null ? 404 : 200, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    flink.start();
    return "http://127.0.0.1:" + flink.getAddress().getPort();
  }

  @Test
  void purgeRefusesADirectoryUpDidNotMake() throws Exception {
    Files.writeString(dir.resolve("thesis.tex"), "years of work");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClusterDown down = new ClusterDown(dir, Duration.ofSeconds(1), new PrintStream(out, true));
    var e = assertThrows(IllegalArgumentException.class, () -> down.run(true));
    assertTrue(e.getMessage().contains("refusing to purge"), e.getMessage());
    assertTrue(Files.exists(dir.resolve("thesis.tex")));

    Path cluster = dir.resolve("cluster");
    new ClusterLayout(cluster).writeMarker();
    Files.createDirectories(cluster.resolve("logs"));
    Files.writeString(cluster.resolve("logs").resolve("kafka-1.log"), "x");
    assertEquals(
        List.of(), new ClusterDown(cluster, Duration.ofSeconds(1), new PrintStream(out)).run(true));
    assertFalse(Files.exists(cluster));
  }

  @Test
  void aGenericClusterPropertiesAmongOtherFilesMakesNoClusterAndKeepsEveryFile() throws Exception {
    Files.writeString(dir.resolve("cluster.properties"), "name=my-other-tool\n");
    Files.writeString(dir.resolve("thesis.tex"), "years of work");
    var up =
        new ClusterUp(
            ClusterOptions.defaults(dir),
            null,
            Map.of(),
            new PrintStream(OutputStream.nullOutputStream()));
    var e = assertThrows(IllegalArgumentException.class, up::run);
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    var down =
        new ClusterDown(
            dir, Duration.ofSeconds(1), new PrintStream(OutputStream.nullOutputStream()));
    assertThrows(IllegalArgumentException.class, () -> down.run(true));
    assertFalse(new ClusterLayout(dir).hasMarker());
    assertEquals("years of work", Files.readString(dir.resolve("thesis.tex")));
    assertEquals("name=my-other-tool\n", Files.readString(dir.resolve("cluster.properties")));
  }

  @Test
  void aFailedUpLeavesNoMarker() throws Exception {
    // A lone cluster.properties that is not a spec: up fails on it, before writing anything.
    Files.writeString(dir.resolve("cluster.properties"), "name=my-other-tool\n");
    var up =
        new ClusterUp(
            ClusterOptions.defaults(dir),
            null,
            Map.of(),
            new PrintStream(OutputStream.nullOutputStream()));
    assertThrows(RuntimeException.class, up::run);
    assertFalse(new ClusterLayout(dir).hasMarker());
    assertEquals(List.of("cluster.properties"), names(dir));
    // Unusable memory sizes fail before the first file too.
    Path fresh = dir.resolve("fresh");
    ClusterOptions d = ClusterOptions.defaults(fresh);
    ClusterOptions tiny =
        new ClusterOptions(
            d.dir(),
            d.source(),
            d.camera(),
            d.model(),
            d.brokers(),
            d.taskManagers(),
            d.slots(),
            d.samplers(),
            d.jobManagerMemory(),
            "64m",
            d.stages(),
            d.readyTimeout(),
            d.engine(),
            d.bind());
    var small =
        new ClusterUp(tiny, null, Map.of(), new PrintStream(OutputStream.nullOutputStream()));
    var e = assertThrows(IllegalArgumentException.class, small::run);
    assertTrue(e.getMessage().contains("--taskmanager-memory"), e.getMessage());
    assertFalse(Files.exists(fresh), "nothing written: " + fresh);
  }

  @Test
  void purgeDeletesOnlyTheClustersOwnFiles() throws Exception {
    Path cluster = dir.resolve("c");
    ClusterLayout layout = new ClusterLayout(cluster);
    layout.writeMarker();
    layout.createDirectories();
    Files.createDirectories(layout.kafkaData(1));
    Files.writeString(layout.kafkaData(1).resolve("00000.log"), "data");
    Files.writeString(cluster.resolve("notes.txt"), "mine");
    new ClusterDown(
            cluster, Duration.ofSeconds(1), new PrintStream(OutputStream.nullOutputStream()))
        .run(true);
    assertEquals(List.of("notes.txt"), names(cluster));
    assertEquals("mine", Files.readString(cluster.resolve("notes.txt")));
  }

  private static List<String> names(Path d) throws Exception {
    try (var s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void upRefusesANonEmptyDirectoryThatIsNoCluster() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    ClusterUp up =
        new ClusterUp(
            ClusterOptions.defaults(dir),
            null,
            Map.of(),
            new PrintStream(new ByteArrayOutputStream()));
    var e = assertThrows(IllegalArgumentException.class, up::run);
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertFalse(new ClusterLayout(dir).hasMarker());
  }

  @Test
  void activeJobIsFoundByNameAndTerminalJobsDoNotCount() throws Exception {
    String url =
        flinkDouble(
            Map.of(
                "GET /jobs/overview",
                "{\"jobs\":[{\"jid\":\"a1\",\"name\":\"streamsight-vlm-operator\",\"state\":\"CANCELED\"},"
                    + "{\"jid\":\"b2\",\"name\":\"other\",\"state\":\"RUNNING\"},"
                    + "{\"jid\":\"c3\",\"name\":\"streamsight-vlm-operator\",\"state\":\"RESTARTING\"}]}"));
    FlinkRest rest = new FlinkRest(url);
    assertEquals("c3", rest.activeJob(StagePlan.JOB_NAME).orElseThrow().id());
    assertTrue(rest.activeJob("nobody").isEmpty());
  }

  @Test
  void stopWithSavepointPostsTheTargetAndWaitsForTheLocation() throws Exception {
    String url =
        flinkDouble(
            Map.of(
                "POST /jobs/j1/stop",
                "{\"request-id\":\"r9\"}",
                "GET /jobs/j1/savepoints/r9",
                "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/sp/savepoint-1\"}}",
                "POST /jobs/j2/stop",
                "{\"request-id\":\"r8\"}",
                "GET /jobs/j2/savepoints/r8",
                "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":"
                    + "{\"class\":\"x\",\"stack-trace\":\"CheckpointException: task not running\\n at ...\"}}}"));
    FlinkRest rest = new FlinkRest(url);
    assertEquals(
        "file:/sp/savepoint-1", rest.stopWithSavepoint("j1", "file:/sp", Duration.ofSeconds(5)));
    assertTrue(
        requests.stream()
            .anyMatch(
                r ->
                    r.startsWith("POST /jobs/j1/stop")
                        && r.contains("\"targetDirectory\":\"file:/sp\"")),
        requests.toString());
    var e =
        assertThrows(
            IOException.class,
            () -> rest.stopWithSavepoint("j2", "file:/sp", Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("task not running"), e.getMessage());
  }

  @Test
  void theLatestUnusedSavepointIsResumedOnce() throws Exception {
    Path sps = dir.resolve("savepoints");
    Path old = Files.createDirectories(sps.resolve("savepoint-aaaaaa-1"));
    Path fresh = Files.createDirectories(sps.resolve("savepoint-bbbbbb-2"));
    Files.createDirectories(sps.resolve("savepoint-cccccc-3")); // incomplete: no _metadata
    Files.writeString(old.resolve("_metadata"), "x");
    Files.writeString(fresh.resolve("_metadata"), "x");
    Files.setLastModifiedTime(old.resolve("_metadata"), FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(fresh.resolve("_metadata"), FileTime.fromMillis(2_000));
    assertEquals(fresh, Savepoints.latestUnused(sps).orElseThrow());
    Savepoints.markResumed(fresh);
    assertEquals(old, Savepoints.latestUnused(sps).orElseThrow());
    Savepoints.markResumed(old);
    assertTrue(Savepoints.latestUnused(sps).isEmpty());
  }

  @Test
  void aRunningJobIsNotSubmittedAgainAndANewOneResumesFromTheSavepoint() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    ClusterOptions opts =
        new ClusterOptions(
            dir,
            null,
            "cam",
            dir.resolve("m"),
            1,
            1,
            1,
            0,
            "768m",
            "1g",
            true,
            Duration.ofSeconds(5));
    Map<String, Set<String>> commands =
        Map.of(
            "operator", Set.of("--bootstrap", "--model", "--jobmanager", "--name", "--savepoint"));
    ClusterLayout layout = new ClusterLayout(dir);
    FlinkRest.Job running = new FlinkRest.Job("c3", StagePlan.JOB_NAME, "RUNNING");
    StagePlan again = new StagePlan(opts, spec(), layout, commands, running, null);
    assertEquals(List.of(), again.pipeline());
    assertTrue(
        again.notes().stream().anyMatch(n -> n.contains("already RUNNING")),
        again.notes().toString());

    Path sp = dir.resolve("flink/savepoints/savepoint-1");
    List<String> args =
        new StagePlan(opts, spec(), layout, commands, null, sp).pipeline().get(0).args();
    String line = String.join(" ", args);
    assertTrue(line.contains("--name " + StagePlan.JOB_NAME), line);
    assertTrue(line.contains("--savepoint " + sp.toUri()), line);
  }

  @Test
  void aCameraUrlGoesToAnOwnerOnlyFileNotOnTheCommandLine() throws Exception {
    String uri = "rtsp://admin:p@ss/w:rd@10.0.0.5:554/live";
    ClusterOptions opts =
        new ClusterOptions(
            dir, uri, "door", null, 1, 1, 1, 0, "768m", "1g", true, Duration.ofSeconds(5));
    Map<String, Set<String>> commands =
        Map.of("ingest", Set.of("--bootstrap", "--camera", "--source", "--source-file"));
    JavaProcess ingest =
        new StagePlan(opts, spec(), new ClusterLayout(dir), commands).pipeline().get(0);
    String line = String.join(" ", ingest.args());
    assertFalse(line.contains("p@ss"), line);
    Path file = Path.of(ingest.args().get(ingest.args().indexOf("--source-file") + 1));
    assertEquals(uri, Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
  }
}
