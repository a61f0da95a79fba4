package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.deploy.cli.ClusterUpCommand;
import io.streamsight.deploy.cli.StreamsightCli;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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

    assertFalse(
        readCommitted(spec, Topics.SUMMARIES, n -> n >= 1, Duration.ofMinutes(5)).isEmpty(),
        "no summary before the kills");
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
    Thread.sleep(10_000); // the samplers' last transaction commits
    Set<Long> expected = new TreeSet<>();
    for (Keyframe k : readCommitted(spec, Topics.KEYFRAMES, n -> false, Duration.ofSeconds(20))) {
      expected.add(k.getCaptureTimeMicros() / WINDOW * WINDOW);
    }
    long lastWindow = ((TreeSet<Long>) expected).last();
    int closed = expected.size() - 1;
    List<Summary> summaries =
        readCommitted(spec, Topics.SUMMARIES, n -> n >= closed, Duration.ofMinutes(5));
    Thread.sleep(5000); // a late duplicate would show up here
    summaries = readCommitted(spec, Topics.SUMMARIES, n -> false, Duration.ofSeconds(10));

    List<Long> starts = summaries.stream().map(Summary::getWindowStartMicros).toList();
    Set<Long> distinct = new TreeSet<>(starts);
    assertEquals(distinct.size(), starts.size(), "a window summarised twice: " + starts);
    Set<Long> mustHave = new TreeSet<>(expected);
    mustHave.remove(lastWindow);
    assertTrue(distinct.containsAll(mustHave), "lost windows: " + mustHave + " vs " + distinct);
    assertTrue(expected.containsAll(distinct), "windows without keyframes: " + distinct);
    assertTrue(mustHave.size() >= 2, "too few keyframe windows to mean anything: " + expected);
    summaries.forEach(x -> assertEquals("cam-1", x.getCameraId().toString()));

    // One alert: the blue scene fires the rule, its cooldown outlasts the scene, and neither the
    // broker loss nor the job's restart from a checkpoint may duplicate or lose it.
    List<Alert> alerts = readCommitted(spec, Topics.ALERTS, n -> false, Duration.ofSeconds(10));
    assertEquals(1, alerts.size(), "alerts: " + alerts);
    Alert alert = alerts.get(0);
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

  /**
   * Every committed record of a topic (read_committed), once the count satisfies {@code ok} or,
   * when it never does, after {@code wait} (then the records so far, for a final read).
   */
  private static <V> List<V> readCommitted(
      ClusterSpec spec,
      io.streamsight.schemas.topics.TopicDescriptor<?, V> topic,
      java.util.function.IntPredicate ok,
      Duration wait) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < topic.partitions(); i++) {
        parts.add(new TopicPartition(topic.name(), i));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500))
            .forEach(
                r ->
                    values.add(
                        topic.valueSerde().deserializer().deserialize(topic.name(), r.value())));
        if (ok.test(values.size())) {
          return values;
        }
      }
    }
    return values;
  }
}
