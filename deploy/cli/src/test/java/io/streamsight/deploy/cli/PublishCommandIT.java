package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.json.AvroJson.BytesStyle;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} against the real broker: a file of JSON lines goes out in one transaction and
 * reads back equal (read_committed), {@code tail --json --bytes base64} output publishes again
 * unchanged, and a file with one bad line sends nothing. Uses {@code dlq.sinks}: its records have
 * bytes, unions and a key taken from the value, and no other IT in this JVM reads it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class PublishCommandIT {
  private static final TopicDescriptor<byte[], DeadLetter> TOPIC = Topics.dlq("sinks");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private KafkaBroker broker;

  @BeforeEach
  void topics(KafkaBroker broker) throws Exception {
    this.broker = broker;
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
  }

  @Test
  void publishesAFileInOneTransactionAndTailPrintsItBackForPublishToReadAgain() throws Exception {
    List<DeadLetter> letters =
        List.of(
            letter(0, "cam-1", new byte[] {1, 2, 3}),
            letter(1, null, new byte[0]),
            letter(2, "cam-2", null));
    Path file = tmp.resolve("letters.jsonl");
    List<String> lines = new ArrayList<>();
    for (DeadLetter d : letters) {
      lines.add(AvroJson.toJsonLine(d, BytesStyle.BASE64));
    }
    Files.write(file, lines);
    long start = endOffset();

    Run publish =
        run(null, "publish", TOPIC.name(), "--bootstrap", bootstrap(), "--json", file.toString());
    assertEquals(0, publish.code, publish.err);
    assertTrue(publish.out.contains("published 3 record(s)"), publish.out);

    List<ConsumerRecord<byte[], byte[]>> back = readCommitted(start, 3);
    for (int i = 0; i < 3; i++) {
      DeadLetter d =
          TOPIC.valueSerde().deserializer().deserialize(TOPIC.name(), back.get(i).value());
      assertEquals(letters.get(i), d);
      byte[] expectedKey =
          i == 1 ? null : ("cam-" + (i == 0 ? 1 : 2)).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(expectedKey, back.get(i).key(), "key = the letter's original key");
    }
    // Three records and the transaction's commit marker, which takes an offset of its own.
    assertEquals(start + 4, endOffset());

    // tail --json --bytes base64 prints what was published, and publish reads that back.
    Run tail =
        run(
            null,
            "tail",
            TOPIC.name(),
            "--bootstrap",
            bootstrap(),
            "--json",
            "--bytes",
            "base64",
            "--max",
            Integer.toString(committedCount()),
            "--timeout",
            "30s");
    assertEquals(0, tail.code, tail.err);
    List<String> tailed = tail.out.lines().toList();
    List<String> ours = tailed.subList(tailed.size() - 3, tailed.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(JSON.readTree(lines.get(i)), JSON.readTree(ours.get(i)));
    }
    long again = endOffset();
    Run republish =
        run(
            String.join("\n", ours),
            "publish",
            TOPIC.name(),
            "--bootstrap",
            bootstrap(),
            "--json",
            "-");
    assertEquals(0, republish.code, republish.err);
    List<ConsumerRecord<byte[], byte[]>> twice = readCommitted(again, 3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(
          back.get(i).value(), twice.get(i).value(), "same bytes after the round trip");
    }
  }

  @Test
  void aBadThirdLineSendsNothingAndNamesTheLineAndTheField() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      lines.add(AvroJson.toJsonLine(letter(i, "cam-1", new byte[] {7}), BytesStyle.BASE64));
    }
    lines.set(
        2,
        lines
            .get(2)
            .replace(
                "\"originalValue\":{\"base64\":\"Bw==\"}",
                "\"originalValue\":{\"base64\":\"#not base64#\"}"));
    Path file = tmp.resolve("bad.jsonl");
    Files.write(file, lines);
    long before = endOffset();

    Run publish =
        run(null, "publish", TOPIC.name(), "--bootstrap", bootstrap(), "--json", file.toString());
    assertEquals(1, publish.code, publish.out);
    assertTrue(publish.err.contains("line 3: field originalValue: bad base64"), publish.err);
    assertTrue(publish.err.contains("nothing sent"), publish.err);
    assertEquals(before, endOffset(), "nothing was written, not even an aborted transaction");
  }

  private static DeadLetter letter(int n, String key, byte[] value) {
    return DeadLetter.newBuilder()
        .setStage("sinks")
        .setTopic("vlm.summaries")
        .setPartition(n)
        .setOffset(100 + n)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setErrorClass("RecordDecodeException")
        .setErrorMessage("letter " + n)
        .setTimeMicros(1_700_000_000_000_000L + n)
        .build();
  }

  private String bootstrap() {
    return broker.bootstrapServers();
  }

  private long endOffset() {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(TOPIC.name(), 0);
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  /** The first {@code n} committed records from {@code offset} on, polling until they are there. */
  private List<ConsumerRecord<byte[], byte[]>> readCommitted(long offset, int n) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(TOPIC.name(), 0);
      c.assign(List.of(tp));
      c.seek(tp, offset);
      while (out.size() < n) { // the class timeout bounds this
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out.subList(0, n);
  }

  /** How many committed records the topic holds now. */
  private int committedCount() {
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(TOPIC.name(), 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
    }
    return n;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private record Run(int code, String out, String err) {}

  /** Runs the CLI in this JVM, with {@code stdin} as standard input when given. */
  private static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream original = System.in;
    if (stdin != null) {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      int code = StreamsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(original);
    }
  }
}
