package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.deploy.cli.ClusterUpCommand;
import io.streamsight.deploy.cli.StreamsightCli;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole pipeline through the multi-process cluster: a synthetic video is ingested, sampled by
 * two sampler processes and summarised by the operator job on the Flink session cluster (fixture
 * model) with one alert rule; mid-stream one Kafka node and the TaskManager running the job are
 * killed. Every closed 10 s window holding a keyframe still gets exactly one summary and the blue
 * scene exactly one alert (none lost, none duplicated), then {@code down} leaves no process behind.
 * Slow: several minutes on 2 cores.
 */
@Tag("slow")
class PipelineClusterIT {
  static {
    ClusterTestSupport.preload(
        PipelineClusterIT.class,
        ClusterDown.class,
        PidFile.class,
        FlinkRest.class,
        FlinkRest.Job.class);
  }

  @TempDir Path dir;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @AfterEach
  void neverLeaveProcessesBehind() throws Exception {
    new ClusterDown(dir.resolve("cluster"), Duration.ofSeconds(5), out).run(false);
  }

  @Test
  // Several minutes usually; its waits add up to more (4-minute readiness, 5-minute awaits).
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void everyWindowAndAlertArriveExactlyOnceAcrossABrokerAndTaskManagerLoss() throws Exception {
    // 20 s scenes: each holds at least one whole (epoch-aligned) 10 s window, so the blue scene
    // has a window that is blue throughout, and blue is not last (the last window may stay open).
    Path video = dir.resolve("four-scenes.mp4");
    SyntheticVideo.builder(320, 240, 10)
        .add(Segment.solid(220, 30, 30, 200))
        .add(Segment.solid(30, 200, 30, 200))
        .add(Segment.solid(30, 30, 220, 200))
        .add(Segment.solid(230, 220, 30, 200))
        .build()
        .write(video);
    Path clusterDir = dir.resolve("cluster");
    ClusterOptions options =
        new ClusterOptions(
            clusterDir,
            video.toString(),
            "cam-1",
            null,
            3,
            2,
            2,
            2,
            "768m",
            "1280m",
            true,
            Duration.ofMinutes(4));
    var commands =
        ClusterUpCommand.commands(new CommandLine(new StreamsightCli()).getCommandSpec());
    // Kafka and Flink first, then the rule, then the stages (up is idempotent): the rule is in
    // the compacted topic before the job starts, so no blue window can beat it to the job.
    ClusterSpec spec =
        new ClusterUp(options.withStages(false), ClusterTestSupport.packaged(), commands, out)
            .run();
    int added =
        StreamsightCli.run(
            "rules",
            "add",
            "--bootstrap",
            spec.bootstrapServers(),
            "--id",
            "blue",
            "--camera",
            "cam-*",
            "--question",
            "Is the scene blue?",
            "--cooldown",
            "600s");
    assertEquals(0, added, "rules add");
    spec = new ClusterUp(options, ClusterTestSupport.packaged(), commands, out).run();
    String log = output.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("sampler-2") && log.contains("RUNNING"), log);

    String bootstrap = spec.bootstrapServers();
    Await.until(
        "a summary before the kills",
        Duration.ofMinutes(5),
        () -> CommittedRecords.values(bootstrap, Topics.SUMMARIES),
        l -> !l.isEmpty());
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    String jobId =
        rest.jobs().stream()
            .filter(j -> j.state().equals("RUNNING"))
            .findFirst()
            .orElseThrow()
            .id();
    String tm = rest.taskManagersOf(jobId).iterator().next();
    kill(clusterDir, "kafka-2");
    kill(clusterDir, "flink-" + tm);

    // The file ends; then every 10 s window holding a keyframe gets its summary (the last one
    // may stay open: no later keyframe moves the watermark past it).
    PidFile ingest = PidFile.read(new ClusterLayout(clusterDir).pidFile("ingest"));
    ingest.liveProcess().ifPresent(h -> h.onExit().join());
    // The samplers' offsets reach the end of the frames only in the transaction that carries
    // their last keyframes: once committed, the keyframes topic is complete.
    try (Admin admin = KafkaStatus.admin(bootstrap)) {
      Await.until(
          "the samplers' last transaction committed",
          Duration.ofMinutes(2),
          () ->
              CommittedRecords.caughtUp(
                  admin, SamplerConfig.DEFAULT_APPLICATION_ID, Topics.FRAMES.name()));
    }
    Set<Long> expected = new TreeSet<>();
    for (Keyframe k : CommittedRecords.values(bootstrap, Topics.KEYFRAMES)) {
      if (!Progress.is(k)) {
        expected.add(k.getCaptureTimeMicros() / WINDOW * WINDOW);
      }
    }
    // Every window, the last one too: the sampler's progress records close it (issue 19).
    int closed = expected.size();
    Await.until(
        closed + " summaries",
        Duration.ofMinutes(5),
        () -> CommittedRecords.values(bootstrap, Topics.SUMMARIES),
        l -> l.size() >= closed);
    // A late duplicate would sit in a transaction still open now: read again once a checkpoint
    // triggered after this point has completed (and committed every such transaction).
    ClusterTestSupport.awaitCheckpointTriggeredAfter(
        spec.flinkRestUrl(), jobId, System.currentTimeMillis(), Duration.ofMinutes(2));
    List<Summary> summaries = CommittedRecords.values(bootstrap, Topics.SUMMARIES);

    List<Long> starts = summaries.stream().map(Summary::getWindowStartMicros).toList();
    Set<Long> distinct = new TreeSet<>(starts);
    assertEquals(distinct.size(), starts.size(), "a window summarised twice: " + starts);
    Set<Long> mustHave = new TreeSet<>(expected);
    assertTrue(distinct.containsAll(mustHave), "lost windows: " + mustHave + " vs " + distinct);
    assertTrue(expected.containsAll(distinct), "windows without keyframes: " + distinct);
    assertTrue(mustHave.size() >= 2, "too few keyframe windows to mean anything: " + expected);
    summaries.forEach(x -> assertEquals("cam-1", x.getCameraId().toString()));

    // One alert id: the blue scene fires the rule, its cooldown outlasts the scene, and neither
    // the broker loss nor the job's restart from a checkpoint may lose it. Alerts are written
    // at-least-once (at once, not at a checkpoint): a restart may write it again, same id.
    Set<String> seen = new java.util.HashSet<>();
    List<Alert> alerts =
        CommittedRecords.values(bootstrap, Topics.ALERTS).stream()
            .filter(a -> seen.add(a.getAlertId().toString()))
            .toList();
    assertEquals(1, alerts.size(), "alert ids: " + alerts);
    Alert alert = alerts.get(0);
    assertEquals(AlertPhase.STARTED, AlertEvents.phaseOf(alert), "an event starts with STARTED");
    // Each record of the event once by (id, phase), in order: STARTED, UPDATED..., ENDED last.
    Set<String> records = new java.util.HashSet<>();
    List<AlertPhase> phases =
        CommittedRecords.values(bootstrap, Topics.ALERTS).stream()
            .filter(a -> records.add(AlertEvents.recordKey(a)))
            .map(AlertEvents::phaseOf)
            .toList();
    assertEquals(1, phases.stream().filter(p -> p == AlertPhase.STARTED).count(), "" + phases);
    assertTrue(phases.stream().filter(p -> p == AlertPhase.ENDED).count() <= 1, "" + phases);
    assertTrue(
        !phases.contains(AlertPhase.ENDED) || phases.get(phases.size() - 1) == AlertPhase.ENDED,
        "" + phases);
    assertEquals("blue", alert.getRuleId().toString());
    assertEquals("cam-1", alert.getCameraId().toString());
    Summary ofWindow =
        summaries.stream()
            .filter(x -> x.getWindowStartMicros() == alert.getWindowStartMicros())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no summary for the alert's window " + alert));
    assertTrue(
        ofWindow.getText().toString().contains("blue"),
        "alert on a window that is not blue: " + ofWindow);

    List<PidFile> recorded = PidFile.readAll(new ClusterLayout(clusterDir).pidDir());
    assertEquals(List.of(), new ClusterDown(clusterDir, Duration.ofSeconds(20), out).run(false));
    for (PidFile p : recorded) {
      assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), p.name());
    }
  }

  private static void kill(Path clusterDir, String process) throws Exception {
    PidFile victim = PidFile.read(new ClusterLayout(clusterDir).pidFile(process));
    ProcessHandle h = victim.liveProcess().orElseThrow();
    h.destroyForcibly();
    h.onExit().get(30, TimeUnit.SECONDS);
  }

  private static final long WINDOW = 10_000_000L;
}
