package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
  @TempDir Path dir;
  private final List<Process> started = new java.util.ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(
        p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
  }

  private Process spawn(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    started.add(p);
    return p;
  }

  @Test
  void roundTripsThroughItsFile() {
    PidFile p =
        new PidFile(
            "kafka-1", 4242, Instant.parse("2026-01-02T03:04:05.678Z"), dir.resolve("k.log"));
    Path f = dir.resolve("pids").resolve("kafka-1.pid");
    p.write(f);
    assertEquals(p, PidFile.read(f));
    assertEquals(List.of(p), PidFile.readAll(dir.resolve("pids")));
  }

  @Test
  void aMalformedFileIsRejectedNamingTheProcess() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> PidFile.parse("sampler-2", "12x - /l"));
    assertTrue(e.getMessage().contains("sampler-2"), e.getMessage());
  }

  @Test
  void aLiveProcessIsAliveOnlyWhileItsStartTimeMatches() throws Exception {
    Process p = spawn("sleep 60");
    PidFile real = PidFile.of("x", p.toHandle(), dir.resolve("x.log"));
    assertTrue(real.isAlive());
    // Same pid, different start time: a reused pid, which down must never signal.
    PidFile reused =
        new PidFile("x", p.pid(), real.startedAt().minusSeconds(3600), dir.resolve("x.log"));
    assertFalse(reused.isAlive());
    p.destroy();
    p.waitFor(10, TimeUnit.SECONDS);
    assertFalse(real.isAlive());
  }

  @Test
  void downStopsRecordedProcessesAndKillsOnesThatIgnoreTerm() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Process polite = spawn("sleep 60");
    Process stubborn = spawn("trap '' TERM; echo trapped; while true; do sleep 0.2; done");
    // A TERM that comes before the shell has set its trap stops it like the polite one: wait
    // until it says the trap is set (readLine blocks until then, bounded by the test's timeout).
    assertEquals(
        "trapped",
        new java.io.BufferedReader(
                new java.io.InputStreamReader(stubborn.getInputStream(), StandardCharsets.UTF_8))
            .readLine());
    PidFile.of("sampler-1", polite.toHandle(), layout.logFile("sampler-1"))
        .write(layout.pidFile("sampler-1"));
    PidFile.of("kafka-1", stubborn.toHandle(), layout.logFile("kafka-1"))
        .write(layout.pidFile("kafka-1"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<String> survivors =
        new ClusterDown(
                dir, Duration.ofSeconds(1), new PrintStream(buf, true, StandardCharsets.UTF_8))
            .run(false);
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), survivors, out);
    assertFalse(polite.isAlive());
    assertFalse(stubborn.isAlive());
    assertTrue(out.contains("sampler-1") && out.contains("stopped"), out);
    assertTrue(out.contains("kafka-1") && out.contains("killed"), out);
    assertEquals(List.of(), PidFile.readAll(layout.pidDir()));
    assertTrue(Files.exists(dir), "data stays without --purge");
  }

  @Test
  void downForgetsDeadProcessesAndPurgeRemovesTheDirectory() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir.resolve("c"));
    layout.writeMarker(); // as 'cluster up' does: purge deletes only marked directories
    Process gone = spawn("true");
    gone.waitFor(10, TimeUnit.SECONDS);
    new PidFile("operator", gone.pid(), Instant.EPOCH, layout.logFile("operator"))
        .write(layout.pidFile("operator"));
    List<String> survivors =
        new ClusterDown(
                layout.dir(), Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream()))
            .run(true);
    assertEquals(List.of(), survivors);
    assertFalse(Files.exists(layout.dir()));
  }

  @Test
  void stagesStopBeforeFlinkAndFlinkBeforeKafka() {
    assertTrue(ClusterDown.stopOrder("sampler-1") < ClusterDown.stopOrder("flink-taskmanager-1"));
    assertTrue(
        ClusterDown.stopOrder("flink-taskmanager-2") < ClusterDown.stopOrder("flink-jobmanager"));
    assertTrue(ClusterDown.stopOrder("flink-jobmanager") < ClusterDown.stopOrder("kafka-3"));
  }
}
