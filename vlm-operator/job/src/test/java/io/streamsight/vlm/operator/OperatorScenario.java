package io.streamsight.vlm.operator;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.vlm.operator.io.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Topics of one operator run on the shared test broker, with typed produce and (read_committed)
 * read helpers; wait for output with {@link io.streamsight.testkit.Await}.
 */
public final class OperatorScenario implements AutoCloseable {
  final KafkaBroker broker;
  final TopicNames topics;
  private final KafkaProducer<String, byte[]> producer;

  /** Creates this run's own topics, named with {@code suffix}. */
  public OperatorScenario(KafkaBroker broker, String suffix) throws Exception {
    this(broker, TopicNames.standard().withSuffix(suffix));
    List<NewTopic> create = new ArrayList<>();
    for (String t : topics.all()) {
      NewTopic nt = new NewTopic(t, t.equals(topics.keyframes()) ? 2 : 1, (short) 1);
      if (t.equals(topics.rules())) {
        nt.configs(java.util.Map.of("cleanup.policy", "compact"));
      }
      create.add(nt);
    }
    broker.admin().createTopics(create).all().get();
  }

  /** Uses existing topics. */
  public OperatorScenario(KafkaBroker broker, TopicNames topics) {
    this.broker = broker;
    this.topics = topics;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  public <T extends SpecificRecord> void send(String topic, String key, T value) throws Exception {
    @SuppressWarnings("unchecked")
    byte[] bytes = value == null ? null : AvroCodec.of((Class<T>) value.getClass()).encode(value);
    producer.send(new ProducerRecord<>(topic, key, bytes)).get();
  }

  public void keyframe(Keyframe k) throws Exception {
    send(topics.keyframes(), k.getCameraId(), k);
  }

  public void rule(String id, String question, Duration cooldown) throws Exception {
    send(
        topics.rules(),
        id,
        AlertRule.newBuilder()
            .setId(id)
            .setCameraGlob("cam-*")
            .setQuestion(question)
            .setThreshold(0.5)
            .setCooldownMicros(cooldown.toNanos() / 1000)
            .setSeverity(Severity.HIGH)
            .build());
  }

  public void deleteRule(String id) throws Exception {
    producer.send(new ProducerRecord<>(topics.rules(), id, null)).get();
  }

  public void rawRule(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topics.rules(), key, value)).get();
  }

  public void query(String id, String camera, String question) throws Exception {
    query(id, camera, question, System.currentTimeMillis() * 1000);
  }

  /** A question asked at {@code createdMicros} (capture-time clock: "now" for the camera). */
  public void query(String id, String camera, String question, long createdMicros)
      throws Exception {
    send(topics.queries(), id, question(id, camera, question, createdMicros).build());
  }

  /** A question about the {@code lookbackMicros} before {@code createdMicros}. */
  public void queryThePast(
      String id, String camera, String question, long createdMicros, long lookbackMicros)
      throws Exception {
    send(
        topics.queries(),
        id,
        question(id, camera, question, createdMicros).setLookbackMicros(lookbackMicros).build());
  }

  private static Query.Builder question(
      String id, String camera, String question, long createdMicros) {
    return Query.newBuilder()
        .setQueryId(id)
        .setCameraId(camera)
        .setQuestion(question)
        .setCreatedMicros(createdMicros);
  }

  public List<Summary> summaries() {
    return read(topics.summaries(), Summary.class);
  }

  public List<Alert> alerts() {
    return read(topics.alerts(), Alert.class);
  }

  public List<Answer> answers() {
    return read(topics.answers(), Answer.class);
  }

  public List<DeadLetter> deadLetters() {
    return read(topics.deadLetters(), DeadLetter.class);
  }

  /** Everything committed so far (read_committed: aborted or open transactions are invisible). */
  public <T extends SpecificRecord> List<T> read(String topic, Class<T> type) {
    return CommittedRecords.values(broker.bootstrapServers(), topic, type);
  }

  @Override
  public void close() {
    producer.close();
  }
}
