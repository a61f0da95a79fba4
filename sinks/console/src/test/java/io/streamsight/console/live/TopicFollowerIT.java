package io.streamsight.console.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 27 #10: a follower whose thread dies is not ready (the page would be frozen). */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class TopicFollowerIT {
  @Test
  void aFollowerWhoseThreadDiesIsNotReadyAndSaysWhy(KafkaBroker broker) throws Exception {
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    TopicFollower follower =
        new TopicFollower(
            "test",
            broker.bootstrapServers(),
            List.of(new TopicFollower.Follow(Topics.SUMMARIES, 0)),
            (topic, partition, offset, key, value, raw) -> {
              throw new OutOfMemoryError("test: heap exhausted while showing a record");
            });
    Thread t = new Thread(follower, "test-follower");
    t.setDaemon(true);
    t.setUncaughtExceptionHandler((th, e) -> {}); // expected: keep the test output clean
    t.start();
    try {
      Await.until("the follower positioned", Duration.ofSeconds(60), follower::ready);

      publishSummary(broker);

      Await.until("the follower to stop", Duration.ofSeconds(30), () -> !t.isAlive());
      assertFalse(follower.ready(), "a dead follower is not ready");
      assertTrue(
          follower.failure() != null && follower.failure().contains("heap exhausted"),
          String.valueOf(follower.failure()));
    } finally {
      follower.close();
    }
  }

  private static void publishSummary(KafkaBroker broker) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    Summary s =
        Summary.newBuilder()
            .setCameraId("cam-follow")
            .setWindowStartMicros(1)
            .setWindowEndMicros(2)
            .setKeyframes(List.of())
            .setText("t")
            .setModelId("m")
            .setTimings(InferenceTimings.newBuilder().build())
            .build();
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SUMMARIES.name(),
                  "cam-follow".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  Topics.SUMMARIES.valueSerde().serializer().serialize("x", s)))
          .get();
    }
  }
}
