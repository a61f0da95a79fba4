package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.images.ImageCache;
import io.streamsight.vlm.operator.images.KafkaFrameFetcher;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.InferenceAsyncFunction;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyframe images read back from a real broker when this TaskManager's cache does not hold them (a
 * restore, or a keyframe read by another TaskManager's source), and the outcome when a record is
 * gone: the window is summarised without it, or, with none left, reported naming each frame.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class KeyframeReadBackIT {
  private static final String CAMERA = "cam-rb";
  @TempDir Path tmp;

  private record Produced(FrameRef ref, byte[] jpeg) {}

  /** Red at 0 and 500 ms, blue at 1000 and 1500 ms, on a new one-partition topic. */
  private static List<Produced> produce(KafkaBroker broker, String topic) throws Exception {
    broker.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    List<Produced> out = new ArrayList<>();
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (long t = 0; t < 2000; t += 500) {
        Keyframe k = keyframe(CAMERA, t, t < 1000 ? Color.RED : Color.BLUE);
        RecordMetadata m =
            producer
                .send(new ProducerRecord<>(topic, CAMERA, AvroCodec.of(Keyframe.class).encode(k)))
                .get();
        ByteBuffer b = k.getJpeg().duplicate();
        byte[] jpeg = new byte[b.remaining()];
        b.get(jpeg);
        out.add(
            new Produced(
                new FrameRef(
                    CAMERA,
                    k.getCaptureTimeMicros(),
                    k.getSequence(),
                    topic,
                    m.partition(),
                    m.offset(),
                    1f,
                    false),
                jpeg));
      }
    }
    return out;
  }

  private static void deleteBefore(KafkaBroker broker, String topic, long offset) throws Exception {
    broker
        .admin()
        .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset)))
        .all()
        .get();
  }

  @Test
  void shouldReadImagesBackByOffsetAndNameAFrameThatIsGone(KafkaBroker broker) throws Exception {
    String topic = "cameras.keyframes.readback-" + System.nanoTime();
    List<Produced> produced = produce(broker, topic);
    FrameRef first = produced.get(0).ref();
    try (FrameFetcher f =
        new KafkaFrameFetcher(broker.bootstrapServers(), Duration.ofSeconds(20), 2)) {
      List<FrameFetcher.Fetched> all =
          f.fetch(produced.stream().map(Produced::ref).toList()).join();
      for (int i = 0; i < produced.size(); i++) {
        assertNull(all.get(i).error(), String.valueOf(all.get(i).error()));
        assertArrayEquals(produced.get(i).jpeg(), all.get(i).jpeg(), "frame " + i);
      }

      FrameRef wrong =
          new FrameRef(CAMERA, first.captureMicros(), 999, topic, 0, first.offset(), 1f, false);
      FrameRef beyond = new FrameRef(CAMERA, 1, 1, topic, 0, 1000, 1f, false);
      deleteBefore(broker, topic, 2);
      List<FrameFetcher.Fetched> bad = f.fetch(List.of(first, wrong, beyond)).join();
      assertTrue(bad.stream().allMatch(b -> b.error() != null && !b.error().retriable()), "" + bad);
      String gone = bad.get(0).error().getMessage();
      assertTrue(gone.contains(topic + "[0]@0") && gone.contains("starts at offset 2"), gone);
      assertTrue(
          bad.get(2).error().getMessage().contains("beyond"), bad.get(2).error().getMessage());
    }
  }

  @Test
  void shouldSummariseFromImagesReadBackAndWithoutTheFramesThatAreGone(KafkaBroker broker)
      throws Exception {
    String topic = "cameras.keyframes.readback-" + System.nanoTime();
    List<Produced> produced = produce(broker, topic);
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    InferenceAsyncFunction fn =
        new InferenceAsyncFunction(
            model,
            OperatorConfig.defaults(),
            new KafkaFrameFetcher.KafkaFactory(broker.bootstrapServers()));
    var h =
        new OneInputStreamOperatorTestHarness<InferenceTask, InferenceOutcome>(
            new AsyncWaitOperatorFactory<>(fn, 120_000, 4, OutputMode.ORDERED),
            TypeInformation.of(InferenceTask.class).createSerializer(new SerializerConfigImpl()));
    h.open();
    // A fresh TaskManager (or a restore): nothing cached, every image comes from Kafka.
    ImageCache.shared().clear();
    deleteBefore(broker, topic, 1); // the first red frame is gone (retention)
    h.processElement(summary(produced.get(2), produced.get(3)), 0);
    h.processElement(summary(produced.get(0), produced.get(1)), 0);
    h.processElement(summary(produced.get(0)), 0);
    h.endInput();
    List<InferenceOutcome> out = h.extractOutputValues();
    h.close();

    InferenceOutcome blue = out.get(0);
    assertTrue(blue.text().contains("blue"), blue.text());
    assertEquals(2, blue.task().window().frames().length);
    assertNotNull(ImageCache.shared().get(produced.get(2).ref()), "cached once read back");
    InferenceOutcome red = out.get(1);
    assertTrue(red.text().contains("red"), red.text());
    assertEquals(
        List.of(produced.get(1).ref()),
        List.of(red.task().window().frames()),
        "summarised without the deleted frame, and its keyframes say so");
    InferenceOutcome none = out.get(2);
    assertEquals(TaskFinish.FRAMES_UNAVAILABLE, none.finish());
    assertTrue(none.error().contains(topic + "[0]@0"), none.error());
    assertTrue(none.error().contains("deleted from the topic"), none.error());
  }

  private static InferenceTask summary(Produced... frames) {
    FrameRef[] refs = java.util.Arrays.stream(frames).map(Produced::ref).toArray(FrameRef[]::new);
    long start = refs[0].captureMicros() / 10_000_000 * 10_000_000;
    return new InferenceTask(
        CAMERA,
        new WindowFrames(CAMERA, start, start + 10_000_000, refs, true),
        "Describe the scene.",
        new Rule[0],
        null);
  }
}
