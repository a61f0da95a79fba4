package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brings the real multi-process cluster up from the packaged distribution (3 Kafka nodes, Flink
 * JobManager and 2 TaskManagers), runs an exactly-once Kafka-to-Kafka job on it, kills one Kafka
 * node and the TaskManager running the job mid-stream, checks acks=all writes still succeed with
 * min ISR 2 and every record arrives exactly once, and brings it down with no process left behind.
 *
 * <p>Tagged slow: 70 to 130 s on the shared 2-core machine (seven JVMs start and stop).
 */
@Tag("slow")
class LocalClusterIT {
  // Other builds share target/classes on this machine; load what cleanup needs up front so a
  // rebuild during the test cannot leave processes behind.
  static {
    ClusterTestSupport.preload(
        LocalClusterIT.class,
        ClusterDown.class,
        PidFile.class,
        FlinkRest.class,
        FlinkRest.Job.class,
        FlinkRest.Overview.class,
        FlinkRest.SavepointStatus.class,
        Savepoints.class,
        ClusterLayout.class,
        ClusterSpec.class,
        ClusterSpec.KafkaNode.class,
        KafkaStatus.class,
        KafkaStatus.GroupLag.class,
        KafkaStatus.TopicHealth.class,
        ClusterStatus.class,
        ClusterStatus.Report.class);
  }

  @TempDir Path dir;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @AfterEach
  void neverLeaveProcessesBehind() throws Exception {
    new ClusterDown(dir, Duration.ofSeconds(5), out).run(false);
  }

  @Test
  // 70 to 130 s usually; cluster start-up alone may take its 3-minute readiness timeout.
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void keepsEveryRecordExactlyOnceWhenABrokerAndATaskManagerDieMidStream() throws Exception {
    ClusterOptions options =
        new ClusterOptions(
            dir, null, "cam-1", null, 3, 2, 2, 0, "768m", "1024m", false, Duration.ofMinutes(3));
    ClusterSpec spec = new ClusterUp(options, ClusterTestSupport.packaged(), Map.of(), out).run();

    ClusterStatus.Report up = new ClusterStatus(dir, out).run();
    assertTrue(up.healthy(), output.toString(StandardCharsets.UTF_8));
    assertEquals(6, up.alive().size()); // 3 Kafka nodes, JobManager, 2 TaskManagers
    assertEquals(3, up.liveBrokers());
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    assertEquals(2, rest.overview().taskManagers());
    assertEquals(4, rest.overview().slotsTotal());

    try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
      String topic = Topics.STATUS.name();
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      d.partitions().forEach(p -> assertEquals(3, p.replicas().size()));
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
      assertEquals("2", cfg.get("min.insync.replicas").value());
      admin
          .createTopics(
              List.of(
                  new NewTopic(IN, 2, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                  new NewTopic(OUT, 2, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }

    try (KafkaProducer<String, String> producer = producer(spec.bootstrapServers())) {
      produce(producer, 0, 100);
      // A copy job submitted over REST, made only of Flink and Kafka classes that the
      // TaskManagers have from the distribution: Kafka source -> exactly-once Kafka sink.
      String jobId = submitCopyJob(spec);
      Set<String> hosts = awaitTasksOn(rest, jobId, s -> !s.isEmpty());
      awaitCommitted(spec.bootstrapServers(), n -> n > 0);

      // Mid-stream: lose one Kafka node and a TaskManager running the job's tasks.
      kill("kafka-2");
      String tm = hosts.iterator().next(); // taskmanager-N
      kill("flink-" + tm);

      // Two replicas of three remain, which min ISR 2 accepts: acks=all writes succeed.
      produce(producer, 100, 200);
      awaitTasksOn(rest, jobId, s -> !s.isEmpty() && !s.contains(tm));
      awaitCommitted(spec.bootstrapServers(), n -> n >= 200);
      // A late duplicate would sit in a transaction still open now: read again once a checkpoint
      // triggered after this point has completed (and committed every such transaction).
      ClusterTestSupport.awaitCheckpointTriggeredAfter(
          spec.flinkRestUrl(), jobId, System.currentTimeMillis(), Duration.ofMinutes(2));
      List<String> got = committed(spec.bootstrapServers());
      assertEquals(200, got.size(), "exactly once: no record lost or duplicated");
      assertEquals(
          java.util.stream.IntStream.range(0, 200)
              .mapToObj(i -> "r-" + i)
              .collect(java.util.stream.Collectors.toSet()),
          new java.util.HashSet<>(got));

      // The job commits its source offsets on checkpoints: status sees its lag drain to 0.
      try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
        Await.until(
            "the copy job's lag to drain to 0",
            Duration.ofMinutes(1),
            () -> KafkaStatus.lag(admin),
            lag -> lag.contains(new KafkaStatus.GroupLag("it-copy", IN, 0)));
      }
      ClusterStatus.Report degraded = new ClusterStatus(dir, out).run();
      assertEquals(
          java.util.Set.of("kafka-2", "flink-" + tm),
          degraded.dead().stream().map(PidFile::name).collect(java.util.stream.Collectors.toSet()));
    }

    List<PidFile> recorded = PidFile.readAll(new ClusterLayout(dir).pidDir());
    List<String> survivors = new ClusterDown(dir, Duration.ofSeconds(20), out).run(false);
    String log = output.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), survivors, log);
    // down stops the job with a savepoint into the cluster dir, which the next up resumes from.
    assertTrue(log.contains("stopped Flink job 'cluster-it-copy' with savepoint"), log);
    assertTrue(Savepoints.latestUnused(new ClusterLayout(dir).flinkSavepoints()).isPresent(), log);
    for (PidFile p : recorded) {
      assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), p.name());
    }
    assertEquals(List.of(), PidFile.readAll(new ClusterLayout(dir).pidDir()));
    assertTrue(Files.isDirectory(new ClusterLayout(dir).kafkaData(1)), "data kept without --purge");
  }

  private static final String IN = "it.copy.in";
  private static final String OUT = "it.copy.out";

  private void kill(String process) throws Exception {
    PidFile victim = PidFile.read(new ClusterLayout(dir).pidFile(process));
    ProcessHandle h = victim.liveProcess().orElseThrow();
    h.destroyForcibly();
    h.onExit().get(30, TimeUnit.SECONDS);
  }

  private static void produce(KafkaProducer<String, String> producer, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>(IN, "k-" + i, "r-" + i)).get(90, TimeUnit.SECONDS);
    }
  }

  private static String submitCopyJob(ClusterSpec spec) throws Exception {
    var env =
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
            .createRemoteEnvironment("127.0.0.1", spec.flinkRestPort());
    env.enableCheckpointing(2000);
    env.setParallelism(2);
    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(spec.bootstrapServers())
            .setTopics(IN)
            .setGroupId("it-copy")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(StringDeserializer.class))
            .build();
    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(spec.bootstrapServers())
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix("it-copy")
            .setRecordSerializer(
                KafkaRecordSerializationSchema.builder()
                    .setTopic(OUT)
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .build();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "in").sinkTo(sink);
    return env.executeAsync("cluster-it-copy").getJobID().toString();
  }

  private static Set<String> awaitTasksOn(
      FlinkRest rest, String jobId, java.util.function.Predicate<Set<String>> ok) throws Exception {
    return Await.until(
        "job " + jobId + "'s tasks to be placed",
        Duration.ofMinutes(3),
        () -> {
          try {
            return rest.taskManagersOf(jobId);
          } catch (IOException e) {
            return Set.<String>of(); // JobManager busy restarting the job: poll again
          }
        },
        ok);
  }

  /** Every committed record of OUT (read_committed), once the count satisfies {@code ok}. */
  private static List<String> awaitCommitted(String bootstrap, java.util.function.IntPredicate ok)
      throws Exception {
    return Await.until(
        "committed records in " + OUT,
        Duration.ofMinutes(3),
        () -> committed(bootstrap),
        l -> ok.test(l.size()));
  }

  private static List<String> committed(String bootstrap) {
    return CommittedRecords.read(bootstrap, OUT, new StringDeserializer(), new StringDeserializer())
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
