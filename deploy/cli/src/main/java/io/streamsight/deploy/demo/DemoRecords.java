package io.streamsight.deploy.demo;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The demo's example rules and its live question, written like any client would. */
final class DemoRecords {
  private DemoRecords() {}

  /** Two example rules: they match the sample video's scenes (and read naturally). */
  static List<AlertRule> exampleRules() {
    long now = System.currentTimeMillis() * 1000;
    return List.of(
        AlertRule.newBuilder()
            .setId("blue-scene")
            .setCameraGlob("*")
            .setQuestion("Is the scene blue?")
            .setThreshold(0.6)
            .setCooldownMicros(60_000_000L)
            .setSeverity(Severity.HIGH)
            .setUpdatedMicros(now)
            .build(),
        AlertRule.newBuilder()
            .setId("yellow-scene")
            .setCameraGlob("demo-*")
            .setQuestion("Is the scene yellow?")
            .setThreshold(0.6)
            .setCooldownMicros(60_000_000L)
            .setSeverity(Severity.MEDIUM)
            .setUpdatedMicros(now)
            .build());
  }

  static void installRules(String bootstrap) {
    send(
        bootstrap,
        Topics.RULES,
        exampleRules().stream()
            .map(r -> new ProducerRecord<>(Topics.RULES.name(), r.getId(), r))
            .toList());
  }

  static String ask(String bootstrap, String cameraId, String question) {
    String id = "demo-" + UUID.randomUUID();
    Query q =
        Query.newBuilder()
            .setQueryId(id)
            .setCameraId(cameraId)
            .setQuestion(question)
            .setCreatedMicros(System.currentTimeMillis() * 1000)
            .build();
    send(bootstrap, Topics.QUERIES, List.of(new ProducerRecord<>(Topics.QUERIES.name(), id, q)));
    return id;
  }

  private static <V> void send(
      String bootstrap, TopicDescriptor<String, V> topic, List<ProducerRecord<String, V>> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }
}
