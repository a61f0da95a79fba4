package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records too large to write, on a real broker with exactly-once, through {@link SamplerApp} (the
 * wiring every caller runs): a frame whose keyframe exceeds the declared keyframe limit, and a
 * keyframe the broker refuses because its topic was configured smaller than declared. Each is
 * dead-lettered once, truncated, with the reason; the sampler keeps running, and the valid
 * keyframes written in the same transaction as the refused one (other partitions, other tasks, and
 * the same partition after it) arrive, none of them dead-lettered. Its own broker, since it changes
 * topic limits.
 */
@Timeout(180)
class SamplerOversizeIT {
  private static final long SEC = 1_000_000L;

  /** Small cameras on every partition of cameras.frames (murmur2 of the key, 4 partitions). */
  private static final List<String> SMALL = List.of("cam-small", "cam-a", "cam-b", "cam-c");

  @TempDir Path dir;

  @Test
  void oversizedRecordsAreDeadLetteredTruncatedAndTheSamplerGoesOn() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      try (Admin admin = broker.admin()) {
        new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
        // A frames topic that takes more than declared, and a keyframes topic that takes less:
        // the misconfigurations that made records too large somewhere downstream.
        admin
            .incrementalAlterConfigs(
                Map.of(
                    topic(Topics.FRAMES.name()), set("max.message.bytes", 16 << 20),
                    topic(Topics.KEYFRAMES.name()), set("max.message.bytes", 1 << 20)))
            .all()
            .get();
      }
      long t0 = 1_700_000_000L * SEC;
      Frame huge = frame("cam-huge", t0, Topics.KEYFRAMES.maxMessageBytes() + 100_000);
      Frame mid = frame("cam-mid", t0, 2 << 20); // fits the frame limits, not this keyframes topic
      List<Frame> frames = new ArrayList<>(List.of(huge, mid));
      SMALL.forEach(c -> frames.add(frame(c, t0, 20_000)));
      Properties prod = new Properties();
      prod.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      prod.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
      AvroCodec<Frame> codec = AvroCodec.of(Frame.class);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(prod, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (Frame f : frames) {
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.FRAMES.name(),
                      f.getCameraId().toString().getBytes(StandardCharsets.UTF_8),
                      codec.encode(f)))
              .get();
        }
      }

      SamplerConfig config =
          new SamplerConfig(
                  "sampler-oversize-it",
                  new CameraSettings(0.25, Duration.ofSeconds(1), Duration.ofSeconds(10), 0L),
                  Map.of())
              .withQuestions(QuestionSettings.OFF);
      List<Keyframe> keyframes = new ArrayList<>();
      List<DeadLetter> dead = new ArrayList<>();
      long started = System.nanoTime();
      try (SamplerApp app =
              new SamplerApp(broker.bootstrapServers(), dir.resolve("state"), config);
          KafkaConsumer<byte[], byte[]> out = consumer(broker)) {
        app.start();
        out.subscribe(List.of(Topics.KEYFRAMES.name(), Topics.dlq("frame-sampler").name()));
        AvroCodec<Keyframe> kf = AvroCodec.of(Keyframe.class);
        AvroCodec<DeadLetter> dl = AvroCodec.of(DeadLetter.class);
        Await.until(
            "keyframes of " + SMALL + " and 2 dead letters",
            Duration.ofSeconds(120),
            () -> {
              assertTrue(
                  app.state().isRunningOrRebalancing() || app.state() == KafkaStreams.State.CREATED,
                  "sampler state " + app.state());
              for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(Topics.KEYFRAMES.name())) {
                  addKeyframe(keyframes, kf.decode(r.topic(), r.value()));
                } else {
                  dead.add(dl.decode(r.topic(), r.value()));
                }
              }
              return keyframes.size() >= SMALL.size() && dead.size() >= 2;
            });
        System.out.printf(
            "oversize IT: all keyframes and dead letters after %d ms%n",
            Duration.ofNanos(System.nanoTime() - started).toMillis());
        // A restart loop would dead-letter the same frame again: give it time to show.
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
          for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(500))) {
            if (r.topic().equals(Topics.KEYFRAMES.name())) {
              addKeyframe(keyframes, kf.decode(r.topic(), r.value()));
            } else {
              dead.add(dl.decode(r.topic(), r.value()));
            }
          }
        }
        assertEquals(KafkaStreams.State.RUNNING, app.state());
        assertEquals(1, app.streamThreads().size(), "threads " + app.streamThreads());
      }

      assertEquals(
          new java.util.TreeSet<>(SMALL),
          new java.util.TreeSet<>(keyframes.stream().map(k -> "" + k.getCameraId()).toList()),
          "every valid keyframe arrives");
      assertEquals(SMALL.size(), keyframes.size(), "each exactly once: " + cameras(keyframes));
      assertEquals(
          2,
          dead.size(),
          "each oversized frame dead-lettered exactly once: "
              + dead.stream().map(d -> d.getOffset() + ": " + d.getErrorMessage()).toList());
      DeadLetter hugeLetter = letterOf(dead, huge);
      assertTrue(
          hugeLetter.getErrorMessage().toString().contains("too large for a keyframe"),
          hugeLetter.getErrorMessage().toString());
      assertTrue(hugeLetter.getErrorMessage().toString().contains("truncated"));
      assertEquals(Topics.DLQ_MAX_ORIGINAL_BYTES, hugeLetter.getOriginalValue().remaining());
      DeadLetter midLetter = letterOf(dead, mid);
      assertTrue(
          midLetter.getErrorMessage().toString().contains(Topics.KEYFRAMES.name()),
          midLetter.getErrorMessage().toString());
      assertEquals(
          "org.apache.kafka.common.errors.RecordTooLargeException",
          midLetter.getErrorClass().toString());
      assertEquals(
          codec.encode(mid).length,
          midLetter.getOriginalValue().remaining(),
          "a 2 MiB frame fits a dead letter whole");
    }
  }

  /** Keyframes with an image only: progress records are not the subject here. */
  private static void addKeyframe(List<Keyframe> keyframes, Keyframe k) {
    if (!Progress.is(k)) {
      keyframes.add(k);
    }
  }

  private static List<String> cameras(List<Keyframe> keyframes) {
    return keyframes.stream().map(k -> "" + k.getCameraId()).toList();
  }

  private static DeadLetter letterOf(List<DeadLetter> dead, Frame f) {
    byte[] key = f.getCameraId().toString().getBytes(StandardCharsets.UTF_8);
    return dead.stream()
        .filter(d -> d.getOriginalKey() != null)
        .filter(d -> java.nio.ByteBuffer.wrap(key).equals(d.getOriginalKey()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dead letter for " + f.getCameraId()));
  }

  private static Frame frame(String camera, long t, int jpegBytes) {
    return TestFrames.frame(
        camera,
        "s1",
        0,
        t,
        io.streamsight.ingest.features.FeatureExtractor.fromImage(TestFrames.scene(1)),
        jpegBytes);
  }

  private static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  private static List<AlterConfigOp> set(String key, int value) {
    return List.of(
        new AlterConfigOp(new ConfigEntry(key, Integer.toString(value)), AlterConfigOp.OpType.SET));
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker broker) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "oversize-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Topics.consumerFetchConfigs(Topics.dlq("frame-sampler")).forEach(c::put);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
