package io.streamsight.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.codec.RecordDecodeException;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.TopicAdmin.Outcome.Status;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.records.FrameRecords;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerIT {
  private static final int FRAMES = 1000;
  private static final int JPEG_BYTES = 100 * 1024;

  @Test
  void thousandLargeFramesComeBackByteEqual(KafkaBroker broker) throws Exception {
    createStandardTopics(broker);
    TopicDescriptor<String, Frame> t = Topics.FRAMES;
    List<byte[]> sent = new ArrayList<>();
    Random rnd = new Random(42);
    try (KafkaProducer<String, Frame> producer =
        new KafkaProducer<>(
            producerProps(broker), t.keySerde().serializer(), t.valueSerde().serializer())) {
      for (int i = 0; i < FRAMES; i++) {
        byte[] jpeg = new byte[JPEG_BYTES];
        rnd.nextBytes(jpeg);
        sent.add(jpeg);
        producer.send(new ProducerRecord<>(t.name(), "cam-it", frame(i, jpeg)));
      }
      producer.flush();
    }
    List<Frame> got = new ArrayList<>();
    try (KafkaConsumer<String, Frame> consumer =
        new KafkaConsumer<>(
            consumerProps(broker, "roundtrip"),
            t.keySerde().deserializer(),
            t.valueSerde().deserializer())) {
      consumer.subscribe(List.of(t.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.size() < FRAMES && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Frame> r : consumer.poll(Duration.ofMillis(500))) {
          if ("cam-it".equals(r.key())) {
            got.add(r.value());
          }
        }
      }
    }
    assertEquals(FRAMES, got.size());
    for (Frame f : got) {
      byte[] jpeg = new byte[f.getJpeg().remaining()];
      f.getJpeg().duplicate().get(jpeg);
      assertArrayEquals(sent.get((int) f.getSequence()), jpeg, "frame " + f.getSequence());
    }
  }

  @Test
  void corruptRecordIsATypedErrorWithPositionNotACrash(KafkaBroker broker) throws Exception {
    String topic = "it.corrupt-frames";
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            producerProps(broker), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "cam-x", new byte[] {0x42, 0x42, 0x42})).get();
    }
    try (KafkaConsumer<String, Frame> consumer =
        new KafkaConsumer<>(
            consumerProps(broker, "corrupt"),
            Topics.FRAMES.keySerde().deserializer(),
            Topics.FRAMES.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic));
      RecordDeserializationException e =
          assertThrows(
              RecordDeserializationException.class,
              () -> {
                for (int i = 0; i < 40; i++) {
                  consumer.poll(Duration.ofMillis(500));
                }
              });
      assertEquals(0L, e.offset());
      RecordDecodeException cause = assertInstanceOf(RecordDecodeException.class, e.getCause());
      assertEquals(RecordDecodeException.Reason.BAD_HEADER, cause.reason());
      assertTrue(cause.getMessage().contains(topic), cause.getMessage());
      RecordDecodeException placed = cause.at(e.topicPartition().partition(), e.offset());
      assertTrue(placed.getMessage().contains("partition 0 offset 0"), placed.getMessage());
    }
  }

  @Test
  void topicCreationIsIdempotentAndReportsDifferences(KafkaBroker broker) throws Exception {
    createStandardTopics(broker);
    try (Admin admin = broker.admin()) {
      List<TopicAdmin.Outcome> again =
          new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
      assertTrue(again.stream().allMatch(o -> o.status() == Status.UNCHANGED), again.toString());

      String name = "it.mismatched";
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
      TopicDescriptor<?, ?> wanted =
          new TopicDescriptor<>(
              name,
              Topics.FRAMES.keySerde(),
              Topics.FRAMES.valueSerde(),
              4,
              TopicDescriptor.CleanupPolicy.COMPACT,
              null);
      TopicAdmin.Outcome o =
          new TopicAdmin(admin).createAll(List.of(wanted), (short) 1, Map.of()).get(0);
      assertEquals(Status.DIFFERS, o.status());
      assertTrue(o.differences().toString().contains("partitions 2 (expected 4)"), o.toString());
      assertTrue(o.differences().toString().contains("cleanup.policy=delete"), o.toString());
    }
  }

  private static void createStandardTopics(KafkaBroker broker) throws InterruptedException {
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
  }

  private static Frame frame(int seq, byte[] jpeg) {
    return FrameRecords.frame("cam-it", seq, seq * 200_000L)
        .setWidth(1024)
        .setHeight(576)
        .setJpeg(ByteBuffer.wrap(jpeg))
        .build();
  }

  private static Properties producerProps(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    return p;
  }

  private static Properties consumerProps(KafkaBroker broker, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }
}
