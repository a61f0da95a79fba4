package io.streamsight.deploy.cli;

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
import io.streamsight.testkit.records.FrameRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamsight sampler} as the CLI (and so the local cluster, which runs it as a process)
 * starts it: a keyframe the broker refuses as too large must be dead-lettered and the sampler must
 * go on. It used to shut down here, because the command replaced the oversized-record handler with
 * a second uncaught-exception handler of its own. Its own broker, since it shrinks a topic's limit.
 */
@Timeout(180)
class SamplerCommandIT {
  @TempDir Path dir;

  @Test
  void theCliSamplerDeadLettersAKeyframeTheBrokerRefusesAndGoesOn() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = broker.admin()) {
        new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
        // The keyframes topic configured smaller than its descriptor says: a 2 MiB frame's
        // keyframe passes the sampler's own check and is refused by the broker.
        admin
            .incrementalAlterConfigs(
                Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.KEYFRAMES.name()),
                    List.of(
                        new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", Integer.toString(1 << 20)),
                            AlterConfigOp.OpType.SET))))
            .all()
            .get();
      }
      long t0 = 1_700_000_000_000_000L;
      Frame big =
          FrameRecords.frame("cam-big", 0, t0)
              .setJpeg(ByteBuffer.wrap(FrameRecords.fakeJpeg(2 << 20, 0)))
              .build();
      Frame small = FrameRecords.frame("cam-small", 0, t0).build();
      produce(bootstrap, List.of(big, small));

      AtomicInteger exit = new AtomicInteger(-1);
      Thread cli =
          new Thread(
              () ->
                  exit.set(
                      new CommandLine(new StreamsightCli())
                          .execute(
                              "sampler",
                              "--bootstrap",
                              bootstrap,
                              "--state-dir",
                              dir.resolve("state").toString(),
                              "--application-id",
                              "sampler-cli-it",
                              "--health-file",
                              dir.resolve("health").resolve("alive").toString())),
              "sampler-cli");
      cli.start();
      List<String> keyframes = new ArrayList<>();
      List<DeadLetter> dead = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> out = consumer(bootstrap)) {
        out.subscribe(List.of(Topics.KEYFRAMES.name(), Topics.dlq("frame-sampler").name()));
        AvroCodec<Keyframe> kf = AvroCodec.of(Keyframe.class);
        AvroCodec<DeadLetter> dl = AvroCodec.of(DeadLetter.class);
        Await.until(
            "the small camera's keyframe and the big one's dead letter",
            Duration.ofSeconds(120),
            () -> {
              assertTrue(cli.isAlive(), "streamsight sampler exited with " + exit.get());
              for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(Topics.KEYFRAMES.name())) {
                  Keyframe k = kf.decode(r.topic(), r.value());
                  if (!Progress.is(k)) {
                    keyframes.add(k.getCameraId().toString());
                  }
                } else {
                  dead.add(dl.decode(r.topic(), r.value()));
                }
              }
              return keyframes.contains("cam-small") && !dead.isEmpty();
            });
        assertTrue(cli.isAlive(), "the sampler goes on after the dead letter");
        Path health = dir.resolve("health").resolve("alive");
        java.nio.file.attribute.FileTime before =
            Await.until(
                "the health file",
                Duration.ofSeconds(30),
                () ->
                    java.nio.file.Files.exists(health)
                        ? java.nio.file.Files.getLastModifiedTime(health)
                        : null,
                t -> t != null);
        Await.until(
            "the health file touched again while the sampler runs",
            Duration.ofSeconds(30),
            () -> java.nio.file.Files.getLastModifiedTime(health).compareTo(before) > 0);
      } finally {
        cli.interrupt(); // SamplerCommand closes its app when interrupted
        cli.join(Duration.ofSeconds(60).toMillis());
      }
      assertEquals(List.of("cam-small"), keyframes);
      assertEquals(1, dead.size());
      DeadLetter letter = dead.get(0);
      assertEquals(
          ByteBuffer.wrap("cam-big".getBytes(StandardCharsets.UTF_8)), letter.getOriginalKey());
      assertEquals(
          "org.apache.kafka.common.errors.RecordTooLargeException",
          letter.getErrorClass().toString());
      assertTrue(
          letter.getErrorMessage().toString().contains(Topics.KEYFRAMES.name()),
          letter.getErrorMessage().toString());
      assertTrue(!cli.isAlive(), "an interrupted streamsight sampler stops");
    }
  }

  private static void produce(String bootstrap, List<Frame> frames) throws Exception {
    Properties prod = new Properties();
    prod.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    prod.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
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
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "sampler-cli-it-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Topics.consumerFetchConfigs(Topics.dlq("frame-sampler")).forEach(c::put);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
