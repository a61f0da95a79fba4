package io.streamsight.console;

import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A console on the test broker, and records published the way the stages publish them (in Kafka
 * transactions, so the console's read_committed followers see them only once committed).
 */
final class ConsoleFixture implements AutoCloseable {
  final KafkaBroker broker;
  final Path dataDir;
  final ConsoleServer server;
  final AccessToken token;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final KafkaProducer<byte[], byte[]> producer;

  ConsoleFixture(KafkaBroker broker, SearchBackend search, SubscriptionsBackend subs)
      throws Exception {
    this(broker, search, subs, c -> c);
  }

  ConsoleFixture(
      KafkaBroker broker,
      SearchBackend search,
      SubscriptionsBackend subs,
      java.util.function.UnaryOperator<ConsoleConfig> tweak)
      throws Exception {
    this.broker = broker;
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    this.dataDir = Files.createTempDirectory("streamsight-console-test");
    this.token = AccessToken.loadOrCreate(dataDir);
    ConsoleConfig config =
        tweak.apply(
            ConsoleConfig.defaults(broker.bootstrapServers(), dataDir).withBind("127.0.0.1", 0));
    this.server = ConsoleServer.start(config, token, search, subs);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "console-test-" + UUID.randomUUID());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    Await.until("the console following its topics", Duration.ofSeconds(60), server::ready);
  }

  /** Publishes {@code value} in its own transaction, as a stage would; returns where it went. */
  synchronized <V> RecordMetadata publish(TopicDescriptor<String, V> topic, V value)
      throws Exception {
    producer.beginTransaction();
    var sent =
        producer.send(
            new ProducerRecord<>(
                topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), topic.keyFor(value)),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    producer.commitTransaction();
    return sent.get();
  }

  KeyframeRef publishKeyframe(String camera, long seq, long captureMicros, Color colour)
      throws Exception {
    Keyframe k =
        FrameRecords.keyframe(FrameRecords.frame(camera, seq, captureMicros).build())
            .setJpeg(ByteBuffer.wrap(FrameRecords.solidJpeg(colour, 320, 180)))
            .setWidth(320)
            .setHeight(180)
            .build();
    RecordMetadata m = publish(Topics.KEYFRAMES, k);
    return KeyframeRef.newBuilder()
        .setTopic(m.topic())
        .setPartition(m.partition())
        .setOffset(m.offset())
        .setCaptureTimeMicros(captureMicros)
        .setSequence(seq)
        .build();
  }

  static Summary summary(String camera, long startMicros, String text, List<KeyframeRef> refs) {
    return Summary.newBuilder()
        .setCameraId(camera)
        .setWindowStartMicros(startMicros)
        .setWindowEndMicros(startMicros + 10_000_000)
        .setKeyframes(refs)
        .setText(text)
        .setModelId("test-model")
        .setTimings(InferenceTimings.newBuilder().build())
        .build();
  }

  static Alert alert(
      String camera, String rule, Severity severity, long startMicros, List<KeyframeRef> refs) {
    return alert(camera, rule, "Is the scene blue?", severity, startMicros, refs);
  }

  static Alert alert(
      String camera,
      String rule,
      String question,
      Severity severity,
      long startMicros,
      List<KeyframeRef> refs) {
    return Alert.newBuilder()
        .setAlertId(rule + "/" + camera + "/" + startMicros)
        .setRuleId(rule)
        .setCameraId(camera)
        .setQuestion(question)
        .setPYes(0.93)
        .setThreshold(0.5)
        .setSeverity(severity)
        .setWindowStartMicros(startMicros)
        .setWindowEndMicros(startMicros + 10_000_000)
        .setEvidence(refs)
        .setModelId("test-model")
        .build();
  }

  static CameraStatus status(String camera, CameraState state) {
    return CameraStatus.newBuilder()
        .setCameraId(camera)
        .setState(state)
        .setTimeMicros(System.currentTimeMillis() * 1000)
        .build();
  }

  static Answer answer(String queryId, String camera, String question, String text) {
    return Answer.newBuilder()
        .setQueryId(queryId)
        .setCameraId(camera)
        .setQuestion(question)
        .setStatus(AnswerStatus.ANSWERED)
        .setText(text)
        .setAnsweredMicros(System.currentTimeMillis() * 1000)
        .build();
  }

  static AlertRule rule(String id) {
    return AlertRule.newBuilder()
        .setId(id)
        .setCameraGlob("cam-*")
        .setQuestion("Is the gate open?")
        .setSeverity(Severity.HIGH)
        .build();
  }

  static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String json, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String tokenValue() {
    return token.reveal();
  }

  @Override
  public void close() throws IOException {
    server.close();
    producer.close(Duration.ofSeconds(5));
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
