package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.embedded.video.SyntheticVideo.VideoInfo;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.CameraWorker;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames Kafka refuses as too large are counted as send errors, reported in the camera's status
 * record, and make a file ingest a failed run instead of disappearing.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class LostFramesIT {
  @TempDir Path dir;

  @Test
  void framesKafkaRefusesAreCountedInTheStatusAndFailTheFileIngest(KafkaBroker broker)
      throws Exception {
    VideoInfo clip =
        SyntheticVideo.builder(320, 240, 25)
            .add(Segment.pattern(Segment.Pattern.CHECKER, 50))
            .build()
            .write(dir.resolve("clip.mp4"));
    String frames = "it-small-frames-" + UUID.randomUUID();
    String status = "it-status-" + UUID.randomUUID();
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(frames, 1, (short) 1), new NewTopic(status, 1, (short) 1)))
          .all()
          .get();
    }
    try (KafkaPublisher publisher =
        new KafkaPublisher(
            broker.bootstrapServers(),
            frames,
            status,
            16,
            // A request limit below any JPEG of this clip (status records still fit): every frame
            // is too large, as a frame above the topic's declared limit would be.
            Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2048))) {
      IngestService svc =
          new IngestService(
              List.of(
                  CameraConfig.of("cam-lost", clip.path().toString(), PipelineSettings.defaults())),
              publisher::forCamera,
              Backoff.defaults());
      svc.start();
      svc.await(null, 1000);
      CameraWorker w = svc.workers().get(0);

      assertEquals(CameraWorker.Outcome.ENDED, w.outcome(), w.summary());
      assertEquals(0, w.stats().published(), w.summary());
      assertEquals(10, w.stats().sendErrors(), "2 s at 5 fps, all refused: " + w.summary());
      assertEquals(List.of(w), svc.filesWithLostFrames(), "a file that lost frames fails");

      CameraStatus last = lastStatus(broker, status);
      assertEquals(CameraState.ENDED, last.getState());
      assertEquals(10, last.getSendErrors(), "the final status reports the lost frames");
      assertEquals(0, last.getFramesDropped(), "lost is not the same as dropped by design");
    }
  }

  private static CameraStatus lastStatus(KafkaBroker broker, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaConsumer<String, CameraStatus> c =
        new KafkaConsumer<>(
            p, new StringDeserializer(), Topics.STATUS.valueSerde().deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      CameraStatus last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, CameraStatus> r : c.poll(Duration.ofMillis(200))) {
          last = r.value();
        }
      }
      assertTrue(last != null, "no status record");
      return last;
    }
  }
}
