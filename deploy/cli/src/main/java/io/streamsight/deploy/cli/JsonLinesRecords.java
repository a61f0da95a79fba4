package io.streamsight.deploy.cli;

import io.streamsight.schemas.codec.AvroSerde;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.validation.RecordChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka records a JSON-lines text describes for one topic: each line one value in the shape
 * {@code tail --json} prints, keyed as the topic's descriptor says. Every line is checked (JSON to
 * Avro, {@link RecordChecks#published}, key, encoding) before any record is returned, so a bad line
 * means nothing is sent.
 */
final class JsonLinesRecords {
  /** Problems named in the error; more are counted, not listed (one line of output). */
  static final int MAX_REPORTED = 5;

  private JsonLinesRecords() {}

  /** A line that does not describe a record of the topic. */
  static final class BadLinesException extends IllegalArgumentException {
    BadLinesException(String message) {
      super(message);
    }
  }

  /**
   * Reads every line of {@code in}; blank lines are skipped.
   *
   * @throws BadLinesException naming the source, each bad line's number, field and problem (up to
   *     {@link #MAX_REPORTED}) and how many lines were bad
   */
  static List<ProducerRecord<byte[], byte[]>> read(
      TopicDescriptor<?, ?> topic, BufferedReader in, String source) throws IOException {
    return readTyped(topic, in, source);
  }

  private static <K, V> List<ProducerRecord<byte[], byte[]>> readTyped(
      TopicDescriptor<K, V> topic, BufferedReader in, String source) throws IOException {
    Class<? extends SpecificRecord> type = valueType(topic);
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int bad = 0;
    int number = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(record(topic, type, line));
      } catch (IllegalArgumentException e) { // AvroJsonException included
        bad++;
        if (problems.size() < MAX_REPORTED) {
          problems.add("line " + number + ": " + e.getMessage());
        }
      }
    }
    if (bad > 0) {
      throw new BadLinesException(
          source
              + ": "
              + bad
              + " bad line(s), nothing sent: "
              + String.join("; ", problems)
              + (bad > problems.size() ? "; ..." : ""));
    }
    return out;
  }

  private static <K, V> ProducerRecord<byte[], byte[]> record(
      TopicDescriptor<K, V> topic, Class<? extends SpecificRecord> type, String line) {
    if (line.strip().startsWith("null")) {
      // tail prints a tombstone as "null (tombstone)": its key is not in the line.
      throw new IllegalArgumentException(
          "a tombstone (null value) carries no key to publish it under; delete with the owning"
              + " command (e.g. rules rm)");
    }
    @SuppressWarnings("unchecked")
    V value = (V) AvroJson.read(type, line);
    // The JSON shape is not enough: the checks every consumer applies (ids that become headers,
    // MQTT topics and keys; evidence refs readers fetch by) refuse the line here, naming the field.
    RecordChecks.published(value);
    K key = topic.keyFor(value);
    byte[] keyBytes =
        key == null ? null : topic.keySerde().serializer().serialize(topic.name(), key);
    byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    return new ProducerRecord<>(topic.name(), keyBytes, valueBytes);
  }

  private static Class<? extends SpecificRecord> valueType(TopicDescriptor<?, ?> topic) {
    if (topic.valueSerde() instanceof AvroSerde<?> avro) {
      return avro.codec().type();
    }
    throw new IllegalArgumentException("topic " + topic.name() + " does not hold Avro records");
  }
}
