package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler on a real broker, exactly-once, stopped mid-stream and restarted on an empty state
 * directory (so its state must come back from the changelog): its keyframes must equal those of an
 * uninterrupted run of the same topology over the same frames.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SamplerRestartIT {
  private static final long SEC = 1_000_000L;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  /** What must be equal between runs. */
  private record Out(
      String camera,
      long sequence,
      KeyframeReason reason,
      float novelty,
      int partition,
      long offset) {
    static Out of(Keyframe k) {
      return new Out(
          k.getCameraId().toString(),
          k.getSequence(),
          k.getReason(),
          k.getNoveltyScore(),
          k.getSourcePartition(),
          k.getSourceOffset());
    }
  }

  @Test
  void restartMidStreamRestoresStateAndRepeatsTheUninterruptedOutput(KafkaBroker broker)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> cameras = List.of(run + "-a", run + "-b", run + "-c");
    // maxGap 10 s so heartbeats fall on both sides of the restart.
    SamplerConfig config =
        new SamplerConfig(
            "sampler-it-" + run,
            new io.streamsight.sampler.CameraSettings(
                0.25, Duration.ofSeconds(1), Duration.ofSeconds(10), 0L),
            Map.of());
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    List<Frame> firstHalf = new ArrayList<>();
    List<Frame> secondHalf = new ArrayList<>();
    long t0 = 1_700_000_000L * SEC;
    for (int c = 0; c < cameras.size(); c++) {
      for (int i = 0; i < 200; i++) {
        long t = t0 + i * SEC / 5;
        // Scenes last 14 s (heartbeats at 10 s into each), offset per camera; the restart falls
        // at 20 s, inside a scene, with a heartbeat due 4 s later.
        BufferedImage pic = TestFrames.noisy(TestFrames.scene((i / 70 + c) % 4), 4, 0, i);
        Frame f = TestFrames.frame(cameras.get(c), "s1", i, t, com(pic), 20_000);
        (i < 100 ? firstHalf : secondHalf).add(f);
      }
    }
    Map<String, RecordMetadata> where = new HashMap<>();
    Properties prod = new Properties();
    prod.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    prod.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(prod, new ByteArraySerializer(), new ByteArraySerializer())) {
      AvroCodec<Frame> codec = AvroCodec.of(Frame.class);
      phase("start");
      send(producer, codec, firstHalf, where);
      phase("first half produced");
      // A poison record in the middle of the stream: dead-lettered, the app keeps going.
      producer
          .send(
              new ProducerRecord<>(
                  Topics.FRAMES.name(),
                  cameras.get(0).getBytes(StandardCharsets.UTF_8),
                  ("garbage " + run).getBytes(StandardCharsets.UTF_8)))
          .get();

      runUntilCaughtUp(broker, config, dir.resolve("state-1"));
      phase("first instance caught up and closed");
      send(producer, codec, secondHalf, where);
      // A new instance on an empty state dir: all state comes back from the changelog.
      runUntilCaughtUp(broker, config, dir.resolve("state-2"));
      phase("second instance caught up and closed");
    }

    Predicate<String> ours = cameras::contains;
    List<Out> got =
        CommittedRecords.read(broker.bootstrapServers(), Topics.KEYFRAMES).stream()
            .map(r -> (Keyframe) r.value())
            // Progress records depend on wall time (quiet cameras); the keyframes must not.
            .filter(k -> !Progress.is(k))
            .filter(k -> ours.test(k.getCameraId().toString()))
            .map(Out::of)
            .toList();

    // The uninterrupted reference: the same topology over the same frames in one go.
    List<Out> expected = new ArrayList<>();
    try (SamplerDriver d = new SamplerDriver(config, dir.resolve("state-ref"))) {
      firstHalf.forEach(d::send);
      secondHalf.forEach(d::send);
      for (Keyframe k : d.keyframes()) {
        RecordMetadata m = where.get(k.getCameraId() + "/" + k.getSequence());
        expected.add(
            new Out(
                k.getCameraId().toString(),
                k.getSequence(),
                k.getReason(),
                k.getNoveltyScore(),
                m.partition(),
                m.offset()));
      }
    }
    Map<String, List<Out>> gotByCamera = byCamera(got);
    Map<String, List<Out>> expectedByCamera = byCamera(expected);
    assertEquals(expectedByCamera, gotByCamera);
    assertTrue(expected.stream().anyMatch(o -> o.reason() == KeyframeReason.MAX_GAP));
    assertTrue(expected.stream().anyMatch(o -> o.reason() == KeyframeReason.SCENE_CHANGE));
    assertEquals(
        3,
        expected.stream().filter(o -> o.reason() == KeyframeReason.FIRST).count(),
        "one FIRST per camera: the restart did not lose state");

    List<DeadLetter> dead =
        CommittedRecords.read(broker.bootstrapServers(), Topics.dlq("frame-sampler")).stream()
            .map(r -> (DeadLetter) r.value())
            .filter(
                d -> new String(d.getOriginalValue().array(), StandardCharsets.UTF_8).endsWith(run))
            .toList();
    assertEquals(1, dead.size(), "the poison record is dead-lettered exactly once");
    assertTrue(dead.get(0).getErrorMessage().toString().contains("BAD_HEADER"));
  }

  private static io.streamsight.schemas.avro.FrameFeatures com(BufferedImage pic) {
    return io.streamsight.ingest.features.FeatureExtractor.fromImage(pic);
  }

  private static void phase(String what) {
    System.out.printf("%tT.%<tL SamplerRestartIT: %s%n", System.currentTimeMillis(), what);
  }

  private static Map<String, List<Out>> byCamera(List<Out> outs) {
    return outs.stream().collect(Collectors.groupingBy(Out::camera));
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      AvroCodec<Frame> codec,
      List<Frame> frames,
      Map<String, RecordMetadata> where)
      throws Exception {
    for (Frame f : frames) {
      RecordMetadata m =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.FRAMES.name(),
                      f.getCameraId().toString().getBytes(StandardCharsets.UTF_8),
                      codec.encode(f)))
              .get();
      where.put(f.getCameraId() + "/" + f.getSequence(), m);
    }
  }

  /** Starts the app, waits until its committed offsets reach the end of the input, closes it. */
  private static void runUntilCaughtUp(KafkaBroker broker, SamplerConfig config, Path stateDir)
      throws Exception {
    OversizedRecords oversized = new OversizedRecords();
    Properties p =
        SamplerTopology.streamsConfig(broker.bootstrapServers(), stateDir, config, oversized);
    // Streams members do not leave the group on close (no rebalance on a rolling bounce), so the
    // next instance waits out the old member's session: keep that short here.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1500);
    try (KafkaStreams streams =
            new KafkaStreams(
                SamplerTopology.buildTopology(config, PendingQuestions.NONE, oversized), p);
        Admin admin = broker.admin()) {
      streams.start();
      phase("streams started");
      Await.until(
          "the sampler's committed offsets at the end of " + Topics.FRAMES.name(),
          WAIT,
          () -> {
            assertTrue(
                streams.state().isRunningOrRebalancing()
                    || streams.state() == KafkaStreams.State.CREATED,
                "streams state " + streams.state());
            return CommittedRecords.caughtUp(admin, config.applicationId(), Topics.FRAMES.name());
          });
      phase("caught up");
      // Leave the group so the next instance is assigned at once, not after the session timeout.
      streams.close(
          new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }
  }
}
