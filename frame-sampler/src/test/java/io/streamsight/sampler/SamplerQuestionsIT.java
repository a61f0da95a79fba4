package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.log.CapturedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live questions on a real broker: the sampler as production runs it ({@link SamplerApp}: Kafka
 * Streams exactly-once plus the {@link QuestionWatch}) and a live camera showing a static scene, so
 * after the first keyframe no rule would forward another for 30 s. A question published on {@code
 * vlm.queries} must make the next frame a QUERY keyframe; garbage and a question with an invalid
 * camera id on the same partition before it change nothing.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class SamplerQuestionsIT {
  private static final long SEC = 1_000_000L;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final List<FrameFeatures> looks =
      IntStream.range(0, 4)
          .mapToObj(
              i ->
                  FeatureExtractor.fromImage(
                      TestFrames.noisy(TestFrames.scene(1), 3, 0, i))) // sensor noise only
          .toList();
  private long sequence;

  @Test
  void aQuestionOnVlmQueriesMakesTheNextFrameOfAStaticSceneAQueryKeyframe(KafkaBroker broker)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String camera = "questions-" + run;
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    SamplerConfig config = SamplerConfig.standard().withApplicationId("sampler-questions-" + run);
    Properties prod = new Properties();
    prod.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    prod.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Keyframe> seen = new ArrayList<>();
    AvroCodec<Keyframe> keyframes = AvroCodec.of(Keyframe.class);
    try (CapturedLog log = CapturedLog.start();
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(prod, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> out =
            CommittedRecords.reader(bootstrap, Topics.KEYFRAMES.name());
        SamplerApp app = new SamplerApp(bootstrap, dir.resolve("state"), config)) {
      app.start();
      // The camera is live: every probe publishes its next frame, captured now.
      Await.Probe<List<Keyframe>> liveCamera =
          () -> {
            sendFrame(producer, camera);
            assertTrue(
                app.state().isRunningOrRebalancing() || app.state() == KafkaStreams.State.CREATED,
                "sampler state " + app.state());
            for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(100))) {
              Keyframe k = keyframes.decode(r.topic(), r.partition(), r.offset(), r.value());
              if (k.getCameraId().equals(camera) && !Progress.is(k)) {
                seen.add(k);
              }
            }
            return seen;
          };
      Await.until(
          "the first keyframe of " + camera, WAIT, liveCamera, l -> reasons(l).contains("FIRST"));

      // Bad input first, with the good question's key so it lands on the same partition ahead of
      // it: the watch must read past it.
      String queryId = "q-" + run;
      byte[] key = queryId.getBytes(StandardCharsets.UTF_8);
      AvroCodec<Query> queries = AvroCodec.of(Query.class);
      long now = System.currentTimeMillis() * 1000;
      send(producer, key, "not a question".getBytes(StandardCharsets.UTF_8));
      send(producer, key, queries.encode(query(queryId + "-bad", "cam/../" + run, now)));
      long asked = System.currentTimeMillis() * 1000;
      long askedNanos = System.nanoTime();
      send(producer, key, queries.encode(query(queryId, camera, asked)));

      List<Keyframe> all =
          Await.until(
              "a QUERY keyframe of " + camera, WAIT, liveCamera, l -> reasons(l).contains("QUERY"));
      System.out.printf(
          "question published -> QUERY keyframe read (read_committed): %d ms%n",
          (System.nanoTime() - askedNanos) / 1_000_000);
      assertEquals(List.of("FIRST", "QUERY"), reasons(all), "a static scene: no rule keyframe");
      Keyframe q = all.get(1);
      assertTrue(
          q.getCaptureTimeMicros() >= asked - SEC,
          "captured " + (asked - q.getCaptureTimeMicros()) + " µs before the question");
      assertTrue(q.getJpeg().remaining() > 0, "a whole frame");
      assertEquals(KafkaStreams.State.RUNNING, app.state());
      String logged = log.text();
      assertTrue(logged.contains("that is no Query"), "the garbage is reported:\n" + logged);
      assertTrue(
          logged.contains("skipping question " + queryId + "-bad"),
          "the invalid camera id is reported:\n" + logged);
    }
  }

  private static List<String> reasons(List<Keyframe> ks) {
    return ks.stream().map(Keyframe::getReason).map(KeyframeReason::name).toList();
  }

  private static Query query(String id, String camera, long createdMicros) {
    return Query.newBuilder()
        .setQueryId(id)
        .setCameraId(camera)
        .setQuestion("Is the loading bay door open?")
        .setCreatedMicros(createdMicros)
        .setDeadlineMicros(null)
        .build();
  }

  private void sendFrame(KafkaProducer<byte[], byte[]> producer, String camera) throws Exception {
    long seq = sequence++;
    Frame f =
        TestFrames.frame(
            camera,
            "s1",
            seq,
            System.currentTimeMillis() * 1000,
            looks.get((int) (seq % looks.size())),
            2_000);
    producer
        .send(
            new ProducerRecord<>(
                Topics.FRAMES.name(),
                camera.getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(Frame.class).encode(f)))
        .get();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(Topics.QUERIES.name(), key, value)).get();
  }
}
