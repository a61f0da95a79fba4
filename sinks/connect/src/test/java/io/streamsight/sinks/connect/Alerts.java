package io.streamsight.sinks.connect;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Alerts and summaries for subscription tests, and a producer for them. */
public final class Alerts {
  private Alerts() {}

  public static final long BASE_MICROS = 1_700_000_000_000_000L;

  /** Alert number {@code n} of {@code camera}: window n × 10 s, id {@code <camera>-<n>}. */
  public static Alert alert(String camera, int n, Severity severity, KeyframeRef... evidence) {
    return Alert.newBuilder()
        .setAlertId("rule-1:" + camera + ":" + n)
        .setRuleId("rule-1")
        .setCameraId(camera)
        .setQuestion("Is someone at the door?")
        .setPYes(0.9)
        .setThreshold(0.6)
        .setSeverity(severity)
        .setWindowStartMicros(BASE_MICROS + n * 10_000_000L)
        .setWindowEndMicros(BASE_MICROS + (n + 1) * 10_000_000L)
        .setEvidence(List.of(evidence))
        .setModelId("fixture")
        .build();
  }

  /** The records of one alert event (alert {@code n} of {@code camera}) in the given phase. */
  public static Alert event(String camera, int n, AlertPhase phase, String summaryText) {
    Alert a = alert(camera, n, Severity.HIGH);
    Alert.Builder b =
        Alert.newBuilder(a)
            .setPhase(phase)
            .setEventStartMicros(a.getWindowStartMicros() + 1_000_000L)
            .setPeakPYes(0.93)
            .setSummaryText(summaryText);
    if (phase == AlertPhase.ENDED) {
      b.setEventEndMicros(a.getWindowStartMicros() + 31_000_000L).setEndReason("CLEARED");
    }
    return b.build();
  }

  public static Summary summary(String camera, int n, String text) {
    return Summary.newBuilder()
        .setCameraId(camera)
        .setWindowStartMicros(BASE_MICROS + n * 10_000_000L)
        .setWindowEndMicros(BASE_MICROS + (n + 1) * 10_000_000L)
        .setKeyframes(List.of())
        .setText(text)
        .setModelId("fixture")
        .setTimings(InferenceTimings.newBuilder().build())
        .build();
  }

  /** Creates the standard topics (idempotent). */
  public static void createTopics(KafkaBroker broker) throws InterruptedException {
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
  }

  public static <V> KafkaProducer<String, V> producer(
      KafkaBroker broker, io.streamsight.schemas.topics.TopicDescriptor<String, V> topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }
}
