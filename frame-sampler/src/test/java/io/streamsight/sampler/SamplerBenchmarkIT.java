package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampler throughput, side by side in one run (opt-in: {@code -Dsampler.bench=true}):
 *
 * <ol>
 *   <li>the decision logic alone: the production topology in a TopologyTestDriver, one thread;
 *   <li>through the real broker: the sampler (one stream thread, exactly-once v2) vs a plain
 *       consumer -> producer copy of the same records (one thread, idempotent producer), each timed
 *       from its first record to the last one committed/flushed.
 * </ol>
 *
 * Rerun: see docs/benchmarks/sampler.md.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SamplerBenchmarkIT {
  private static final int FRAMES = Integer.getInteger("sampler.bench.frames", 30_000);
  private static final int JPEG = Integer.getInteger("sampler.bench.jpeg", 8 * 1024);
  private static final int CAMERAS = 50;
  private static final long SEC = 1_000_000L;

  @TempDir Path dir;

  @Test
  // Opt-in and heavier than any regular test: 30,000 frames through three setups.
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void samplerThroughputAgainstAPlainCopy(KafkaBroker broker) throws Exception {
    assumeTrue(Boolean.getBoolean("sampler.bench"), "opt-in: -Dsampler.bench=true");
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    frames(run, keys, values);

    // 1. Decision logic alone, TopologyTestDriver, this thread.
    double driverRate = 0;
    for (int round = 0; round < 3; round++) {
      try (SamplerDriver d =
          new SamplerDriver(SamplerConfig.standard(), dir.resolve("driver-" + round))) {
        long t = System.nanoTime();
        for (int i = 0; i < keys.size(); i++) {
          d.rawFrames.pipeInput(keys.get(i), values.get(i));
        }
        double s = (System.nanoTime() - t) / 1e9;
        long keyframes = d.keyframes.getQueueSize();
        driverRate = keys.size() / s;
        System.out.printf(
            "bench driver round %d: %d frames in %.2f s = %.0f frames/s, %d keyframes%n",
            round, keys.size(), s, driverRate, keyframes);
      }
    }

    // 2. Real broker.
    String copyTopic = "bench.copy." + run;
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
      admin
          .createTopics(List.of(new NewTopic(copyTopic, Topics.FRAMES.partitions(), (short) 1)))
          .all()
          .get();
    }
    Properties prod = new Properties();
    prod.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    prod.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    prod.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(prod, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < keys.size(); i++) {
        p.send(new ProducerRecord<>(Topics.FRAMES.name(), keys.get(i), values.get(i)));
      }
      p.flush();
    }
    Map<TopicPartition, Long> ends = endOffsets(broker);
    long total = ends.values().stream().mapToLong(Long::longValue).sum();

    double copyRate = copy(broker, copyTopic, total, run);
    double samplerRate = sampler(broker, ends, total, run);
    System.out.printf(
        "%nSAMPLER BENCH: %d frames (%d B JPEG, %d cameras) on the broker;"
            + " plain copy %.0f frames/s, sampler (EOS v2, 1 thread) %.0f frames/s,"
            + " ratio sampler/copy %.2f; TopologyTestDriver (1 thread) %.0f frames/s%n",
        total, JPEG, CAMERAS, copyRate, samplerRate, samplerRate / copyRate, driverRate);
  }

  /** Consumer -> producer copy, one thread; frames/s from the first record to the last flushed. */
  private static double copy(KafkaBroker broker, String topic, long total, String run) {
    Properties c = consumerProps(broker, "bench-copy-" + run);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.subscribe(List.of(Topics.FRAMES.name()));
      long n = 0;
      long start = 0;
      while (n < total) {
        ConsumerRecords<byte[], byte[]> rs = consumer.poll(Duration.ofMillis(100));
        if (start == 0 && !rs.isEmpty()) {
          start = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : rs) {
          producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
          n++;
        }
        if (!rs.isEmpty()) {
          consumer.commitAsync();
        }
      }
      producer.flush();
      consumer.commitSync();
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("bench copy: %d frames in %.2f s = %.0f frames/s%n", n, s, n / s);
      return n / s;
    }
  }

  /** The sampler app, one stream thread; from RUNNING to its offsets committed at the end. */
  private double sampler(KafkaBroker broker, Map<TopicPartition, Long> ends, long total, String run)
      throws Exception {
    SamplerConfig config = SamplerConfig.standard().withApplicationId("bench-sampler-" + run);
    OversizedRecords oversized = new OversizedRecords();
    Properties p =
        SamplerTopology.streamsConfig(
            broker.bootstrapServers(), dir.resolve("streams"), config, oversized);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    long[] runningAt = {0};
    CountDownLatch running = new CountDownLatch(1);
    try (KafkaStreams streams =
            new KafkaStreams(
                SamplerTopology.buildTopology(config, PendingQuestions.NONE, oversized), p);
        Admin admin = broker.admin()) {
      streams.setStateListener(
          (now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
              runningAt[0] = System.nanoTime();
              running.countDown();
            }
          });
      streams.start();
      running.await(60, TimeUnit.SECONDS);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(config.applicationId())
                .partitionsToOffsetAndMetadata()
                .get();
        if (ends.entrySet().stream()
            .allMatch(
                e ->
                    e.getValue() == 0
                        || committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
          break;
        }
        Thread.sleep(20);
      }
      double s = (System.nanoTime() - runningAt[0]) / 1e9;
      System.out.printf(
          "bench sampler: %d frames in %.2f s = %.0f frames/s%n", total, s, total / s);
      streams.close(Duration.ofSeconds(30));
      return total / s;
    }
  }

  private static Properties consumerProps(KafkaBroker broker, String group) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return c;
  }

  private static Map<TopicPartition, Long> endOffsets(KafkaBroker broker) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < Topics.FRAMES.partitions(); i++) {
        latest.put(new TopicPartition(Topics.FRAMES.name(), i), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
  }

  /**
   * {@link #FRAMES} encoded frames of {@link #CAMERAS} cameras at 5 fps; each camera changes scene
   * every 10 s (so ~2% of frames are keyframes), with sensor noise in between.
   */
  private static void frames(String run, List<byte[]> keys, List<byte[]> values) {
    int scenes = 16;
    int variants = 8;
    FrameFeatures[][] features = new FrameFeatures[scenes][variants];
    for (int s = 0; s < scenes; s++) {
      for (int v = 0; v < variants; v++) {
        features[s][v] = FeatureExtractor.fromImage(TestFrames.noisy(TestFrames.scene(s), 4, 0, v));
      }
    }
    AvroCodec<Frame> codec = AvroCodec.of(Frame.class);
    long t0 = 1_700_000_000L * SEC;
    int perCamera = FRAMES / CAMERAS;
    for (int i = 0; i < perCamera; i++) {
      for (int c = 0; c < CAMERAS; c++) {
        String cam = run + "-cam-" + c;
        FrameFeatures f = features[(i / 50 + c) % scenes][i % variants];
        keys.add(cam.getBytes(StandardCharsets.UTF_8));
        values.add(codec.encode(TestFrames.frame(cam, "s1", i, t0 + i * SEC / 5, f, JPEG)));
      }
    }
    assertEquals(perCamera * CAMERAS, keys.size());
  }
}
