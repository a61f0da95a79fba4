package io.streamsight.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.console.http.Exchange;
import io.streamsight.console.http.HttpError;
import io.streamsight.console.http.Router;
import io.streamsight.console.live.LiveState;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.json.AvroJsonException;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.schemas.validation.RecordChecks;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The write API: rules to {@code vlm.rules} (add or replace, enable/disable by replacing, delete by
 * tombstone) and questions to {@code vlm.queries}. Every record passes the checks the CLI and the
 * operator apply ({@link RecordChecks}, camera-id and glob grammar) before it is sent; a refusal is
 * a 400 naming the field. The router lets none of these through without the token.
 */
final class ConsoleWrites implements AutoCloseable {
  private static final AvroCodec<AlertRule> RULES = AvroCodec.of(AlertRule.class);
  private static final AvroCodec<Query> QUERIES = AvroCodec.of(Query.class);
  private static final long SEND_TIMEOUT_SECONDS = 15;
  static final int DEFAULT_QUESTION_TIMEOUT_SECONDS = 60;
  static final int MAX_QUESTION_TIMEOUT_SECONDS = 600;

  private final KafkaProducer<byte[], byte[]> producer;
  private final LiveState state;

  ConsoleWrites(String bootstrap, LiveState state) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamsight-console");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.state = state;
  }

  void register(Router r) {
    r.put("/api/rules/{id}", this::putRule);
    r.delete("/api/rules/{id}", this::deleteRule);
    r.post("/api/questions", this::ask);
  }

  /** Adds or replaces a rule: the body is the rule in the JSON shape of {@code tail --json}. */
  private void putRule(Exchange ex) throws Exception {
    String id = ex.path("id");
    JsonNode body = ex.jsonBody();
    if (!body.has("id")) {
      ((ObjectNode) body).put("id", id);
    }
    ((ObjectNode) body).put("updatedMicros", System.currentTimeMillis() * 1000);
    AlertRule rule;
    try {
      rule = AvroJson.read(AlertRule.class, body);
      RecordChecks.alertRule(id, rule); // key = the path's id: a body naming another id is refused
    } catch (AvroJsonException e) {
      throw new HttpError(400, e.field(), e.getMessage());
    } catch (InvalidRecordException e) {
      throw new HttpError(400, e.field(), e.getMessage());
    }
    send(Topics.RULES.name(), id, RULES.encode(rule));
    ex.json(200, Exchange.object().put("stored", id).set("rule", AvroJson.toJson(rule)));
  }

  private void deleteRule(Exchange ex) throws Exception {
    String id = ex.path("id");
    try {
      RecordChecks.id("id", "rule id", id);
    } catch (InvalidRecordException e) {
      throw new HttpError(400, e.field(), e.getMessage());
    }
    boolean known = state.rule(id) != null;
    send(Topics.RULES.name(), id, null); // tombstone: the compacted topic forgets the rule
    ex.json(200, Exchange.object().put("deleted", id).put("existed", known));
  }

  /** A live question; answers arrive on {@code vlm.answers} (the live stream and GET below). */
  private void ask(Exchange ex) throws Exception {
    JsonNode body = ex.jsonBody();
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("cameraId", "question", "timeoutSeconds").contains(f)) {
        throw new HttpError(400, f, "unknown field " + Params.shorten(f));
      }
    }
    int timeout = body.path("timeoutSeconds").asInt(DEFAULT_QUESTION_TIMEOUT_SECONDS);
    if (body.has("timeoutSeconds")
        && (!body.get("timeoutSeconds").canConvertToExactIntegral()
            || timeout < 1
            || timeout > MAX_QUESTION_TIMEOUT_SECONDS)) {
      throw new HttpError(
          400,
          "timeoutSeconds",
          "timeoutSeconds must be a whole number from 1 to " + MAX_QUESTION_TIMEOUT_SECONDS);
    }
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis() * 1000;
    Query q =
        Query.newBuilder()
            .setQueryId(id)
            .setCameraId(text(body, "cameraId"))
            .setQuestion(text(body, "question"))
            .setCreatedMicros(now)
            .setDeadlineMicros(now + timeout * 1_000_000L)
            .build();
    try {
      RecordChecks.query(q);
    } catch (InvalidRecordException e) {
      throw new HttpError(400, e.field(), e.getMessage());
    }
    send(Topics.QUERIES.name(), id, QUERIES.encode(q));
    ex.json(202, Exchange.object().put("queryId", id).put("cameraId", q.getCameraId()));
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new HttpError(400, field, field + " is required (a string)");
    }
    return v.asText();
  }

  void send(String topic, String key, byte[] value) throws Exception {
    try {
      producer
          .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
          .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new HttpError(503, "could not write to " + topic + ": " + cause.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
