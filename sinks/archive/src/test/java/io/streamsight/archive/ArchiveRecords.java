package io.streamsight.archive;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Records and Kafka plumbing for the archive's tests (real broker, transactional writes). */
public final class ArchiveRecords {
  public static final long SEC = 1_000_000L;

  /** An hour ago, on a whole minute (µs): recent enough for the default 30-day retention. */
  public static final long T0 = (System.currentTimeMillis() / 60_000 - 60) * 60 * SEC;

  private ArchiveRecords() {}

  /** Archive settings for a test: frequent commits, everything else default. */
  public static ArchiveConfig config(KafkaBroker broker, java.nio.file.Path dir, String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    m.put("bootstrap", broker.bootstrapServers());
    m.put("dir", dir.toString());
    m.put("commit-interval", "500ms");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return ArchiveConfig.parse(m);
  }

  public static void createTopics(KafkaBroker broker) {
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    } catch (Exception e) {
      throw new IllegalStateException("creating topics", e);
    }
  }

  public static Summary summary(String camera, long start, String text, List<KeyframeRef> refs) {
    return Summary.newBuilder()
        .setCameraId(camera)
        .setWindowStartMicros(start)
        .setWindowEndMicros(start + 10 * SEC)
        .setKeyframes(refs)
        .setText(text)
        .setModelId("test")
        .setTimings(InferenceTimings.newBuilder().build())
        .build();
  }

  public static Alert alert(
      String alertId, String rule, String camera, long start, String q, List<KeyframeRef> ev) {
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setRuleId(rule)
        .setCameraId(camera)
        .setQuestion(q)
        .setPYes(0.9)
        .setThreshold(0.5)
        .setSeverity(Severity.HIGH)
        .setWindowStartMicros(start)
        .setWindowEndMicros(start + 10 * SEC)
        .setEvidence(ev)
        .setModelId("test")
        .build();
  }

  public static Keyframe keyframe(String camera, long seq, long t, byte[] jpeg, int w, int h) {
    return Keyframe.newBuilder()
        .setCameraId(camera)
        .setIngestSessionId("s1")
        .setSequence(seq)
        .setCaptureTimeMicros(t)
        .setPtsMicros(t)
        .setWidth(w)
        .setHeight(h)
        .setJpeg(ByteBuffer.wrap(jpeg))
        .setFeatures(
            FrameFeatures.newBuilder()
                .setDhash(0)
                .setThumbnail(ByteBuffer.allocate(64))
                .setColorHistogram(new ArrayList<>(java.util.Collections.nCopies(24, 0f)))
                .build())
        .setReason(KeyframeReason.SCENE_CHANGE)
        .setNoveltyScore(0.5f)
        .build();
  }

  public static byte[] jpeg(int w, int h, Color c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.drawLine(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A transactional producer, like the operator's exactly-once sinks (markers included). */
  public static final class Writer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public Writer(KafkaBroker broker) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "archive-test-" + UUID.randomUUID());
      producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      producer.initTransactions();
      producer.beginTransaction();
    }

    public RecordMetadata send(String topic, String key, byte[] value) {
      try {
        return producer
            .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
            .get();
      } catch (Exception e) {
        throw new IllegalStateException("send to " + topic, e);
      }
    }

    public KeyframeRef sendKeyframe(Keyframe k) {
      RecordMetadata m =
          send(
              Topics.KEYFRAMES.name(),
              k.getCameraId().toString(),
              AvroCodec.of(Keyframe.class).encode(k));
      return KeyframeRef.newBuilder()
          .setTopic(m.topic())
          .setPartition(m.partition())
          .setOffset(m.offset())
          .setCaptureTimeMicros(k.getCaptureTimeMicros())
          .setSequence(k.getSequence())
          .build();
    }

    public void send(Summary s) {
      send(
          Topics.SUMMARIES.name(),
          s.getCameraId().toString(),
          AvroCodec.of(Summary.class).encode(s));
    }

    public void send(Alert a) {
      send(Topics.ALERTS.name(), a.getCameraId().toString(), AvroCodec.of(Alert.class).encode(a));
    }

    /** Commits what was sent and opens the next transaction. */
    public void commit() {
      producer.commitTransaction();
      producer.beginTransaction();
    }

    @Override
    public void close() {
      producer.commitTransaction();
      producer.close();
    }
  }

  /** Every committed record of a topic as it is now. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
