package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.topics.Topics;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brings the real multi-process cluster up from the packaged distribution (3 Kafka nodes, Flink
 * JobManager and 2 TaskManagers), kills one Kafka node, checks our topics still take acks=all
 * writes with min ISR 2, and brings it down with no process left behind.
 */
class LocalClusterIT {
  // Other builds share target/classes on this machine; load what cleanup needs up front so a
  // rebuild during the test cannot leave processes behind.
  static {
    for (Class<?> c :
        List.of(
            ClusterDown.class,
            PidFile.class,
            FlinkRest.class,
            FlinkRest.Job.class,
            FlinkRest.Overview.class,
            ClusterLayout.class,
            ClusterSpec.class,
            ClusterSpec.KafkaNode.class,
            KafkaStatus.class,
            KafkaStatus.GroupLag.class,
            KafkaStatus.TopicHealth.class,
            ClusterStatus.class,
            ClusterStatus.Report.class)) {
      try {
        Class.forName(c.getName(), true, LocalClusterIT.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  @TempDir Path dir;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  private static Distribution packaged() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      Path jar =
          files
              .filter(p -> p.getFileName().toString().matches("deploy-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("tests"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("run via mvn verify: no target/deploy-*.jar"));
      return Distribution.ofJar(Path.of(System.getProperty("java.home"), "bin", "java"), jar);
    }
  }

  @AfterEach
  void neverLeaveProcessesBehind() throws Exception {
    new ClusterDown(dir, Duration.ofSeconds(5), out).run(false);
  }

  @Test
  void survivesALostBrokerAndStopsWithoutLeftovers() throws Exception {
    ClusterOptions options =
        new ClusterOptions(
            dir, null, null, 3, 2, 1, 0, "768m", "1024m", false, Duration.ofMinutes(3));
    ClusterSpec spec = new ClusterUp(options, packaged(), Map.of(), out).run();

    ClusterStatus.Report up = new ClusterStatus(dir, out).run();
    assertTrue(up.healthy(), output.toString(StandardCharsets.UTF_8));
    assertEquals(6, up.alive().size()); // 3 Kafka nodes, JobManager, 2 TaskManagers
    assertEquals(3, up.liveBrokers());
    FlinkRest.Overview flink = new FlinkRest(spec.flinkRestUrl()).overview();
    assertEquals(2, flink.taskManagers());
    assertEquals(2, flink.slotsTotal());

    // A job submitted over REST runs on the TaskManagers, which have our distribution's jars.
    var env =
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
            .createRemoteEnvironment("127.0.0.1", spec.flinkRestPort());
    env.fromSequence(1, 10_000)
        .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
    String jobId = env.executeAsync("cluster-it-sequence").getJobID().toString();
    awaitJobState(spec, jobId, "FINISHED");

    String topic = Topics.STATUS.name();
    try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      d.partitions().forEach(p -> assertEquals(3, p.replicas().size()));
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
      assertEquals("2", cfg.get("min.insync.replicas").value());
    }

    PidFile victim = PidFile.read(new ClusterLayout(dir).pidFile("kafka-2"));
    ProcessHandle h = victim.liveProcess().orElseThrow();
    h.destroyForcibly();
    h.onExit().get(30, TimeUnit.SECONDS);

    // Two replicas of three remain, which min ISR 2 accepts: every acks=all write succeeds.
    try (KafkaProducer<byte[], byte[]> producer = producer(spec.bootstrapServers())) {
      for (int i = 0; i < 20; i++) {
        byte[] key = ("cam-" + i).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, key)).get(90, TimeUnit.SECONDS);
      }
    }
    // A group that committed offset 0 everywhere lags by every record written.
    try (Admin admin = KafkaStatus.admin(spec.bootstrapServers())) {
      Map<
              org.apache.kafka.common.TopicPartition,
              org.apache.kafka.clients.consumer.OffsetAndMetadata>
          zero = new java.util.HashMap<>();
      for (int p = 0; p < Topics.STATUS.partitions(); p++) {
        zero.put(
            new org.apache.kafka.common.TopicPartition(topic, p),
            new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
      }
      admin.alterConsumerGroupOffsets("it-group", zero).all().get(60, TimeUnit.SECONDS);
      assertTrue(
          KafkaStatus.lag(admin).contains(new KafkaStatus.GroupLag("it-group", topic, 20)),
          KafkaStatus.lag(admin).toString());
    }
    ClusterStatus.Report degraded = new ClusterStatus(dir, out).run();
    assertEquals(List.of("kafka-2"), degraded.dead().stream().map(PidFile::name).toList());

    List<PidFile> recorded = PidFile.readAll(new ClusterLayout(dir).pidDir());
    List<String> survivors = new ClusterDown(dir, Duration.ofSeconds(20), out).run(false);
    String log = output.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), survivors, log);
    for (PidFile p : recorded) {
      assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), p.name());
    }
    assertEquals(List.of(), PidFile.readAll(new ClusterLayout(dir).pidDir()));
    assertTrue(Files.isDirectory(new ClusterLayout(dir).kafkaData(1)), "data kept without --purge");
  }

  private static void awaitJobState(ClusterSpec spec, String jobId, String state) throws Exception {
    FlinkRest rest = new FlinkRest(spec.flinkRestUrl());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    String last = "?";
    while (System.nanoTime() < deadline) {
      for (FlinkRest.Job j : rest.jobs()) {
        if (j.id().equals(jobId)) {
          last = j.state();
        }
      }
      if (last.equals(state)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("job " + jobId + " is " + last + ", expected " + state);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
