package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamsight archive --once}, {@code archive status} and {@code search} end to end on a
 * real broker; bad options exit 2 naming the option.
 */
@Timeout(180)
class ArchiveSearchCommandIT {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(
          StreamsightCli.run(args),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void archivesThenSearchesWithFiltersAsJsonAndAsATable() throws Exception {
    // A broker of its own: the archive reads the fixed vlm.summaries topic read_committed, and an
    // exactly-once job of another test on the shared broker can leave a transaction open there
    // until it times out, holding every read_committed reader back (seen in CI: 0 documents).
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      archivesThenSearches(broker);
    }
  }

  private void archivesThenSearches(KafkaBroker broker) throws Exception {
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    String run = "cli" + UUID.randomUUID().toString().substring(0, 6);
    long now = System.currentTimeMillis() * 1000;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      String[][] rows = {
        {run + "-dock", "A truck backs up to the loading dock and workers unload pallets."},
        {run + "-gate", "A truck unloads boxes next to the gate."},
        {run + "-dock", "The loading dock is empty."},
      };
      for (int i = 0; i < rows.length; i++) {
        Summary s =
            Summary.newBuilder()
                .setCameraId(rows[i][0])
                .setWindowStartMicros(now - (3 - i) * 600_000_000L)
                .setWindowEndMicros(now - (3 - i) * 600_000_000L + 10_000_000L)
                .setKeyframes(List.of())
                .setText(rows[i][1])
                .setModelId("test")
                .setTimings(InferenceTimings.newBuilder().build())
                .build();
        p.send(
                new ProducerRecord<>(
                    Topics.SUMMARIES.name(),
                    rows[i][0].getBytes(StandardCharsets.UTF_8),
                    AvroCodec.of(Summary.class).encode(s)))
            .get();
      }
    }
    String archiveDir = dir.resolve("archive").toString();
    Run archived =
        run("archive", "--bootstrap", broker.bootstrapServers(), "--dir", archiveDir, "--once");
    assertEquals(0, archived.code(), archived.err());
    assertTrue(archived.out().contains("documents"), archived.out());

    Run json =
        run(
            "search",
            "lorry being unloaded",
            "--dir",
            archiveDir,
            "--camera",
            run + "-dock",
            "--json");
    assertEquals(0, json.code(), json.err());
    List<String> lines = json.out().lines().toList();
    assertEquals(2, lines.size(), json.out());
    JsonNode top = new ObjectMapper().readTree(lines.get(0));
    assertEquals(run + "-dock", top.get("cameraId").asText());
    assertEquals("summary", top.get("kind").asText());
    assertTrue(top.get("text").asText().contains("unload"), top.toString());
    for (String f : List.of("windowStartMicros", "windowEndMicros", "score", "thumbnailId")) {
      assertTrue(top.has(f), f);
    }

    Run table =
        run("search", "truck", "--dir", archiveDir, "--camera", run + "-*", "--since", "-25m");
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains(run + "-gate"), table.out());
    assertTrue(!table.out().contains("A truck backs up"), "outside --since: " + table.out());

    Run status = run("archive", "status", "--dir", archiveDir);
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("of 5120.0 MiB"), status.out());

    Run badKind = run("search", "x", "--dir", archiveDir, "--kind", "frame");
    assertEquals(2, badKind.code());
    assertTrue(badKind.err().contains("summary, alert"), badKind.err());
    Run badRetain =
        run("archive", "--bootstrap", "127.0.0.1:1", "--dir", archiveDir, "--retain", "forever");
    assertEquals(2, badRetain.code());
    assertTrue(badRetain.err().contains("--retain"), badRetain.err());
    Run noText = run("search", "--dir", archiveDir);
    assertEquals(2, noText.code());
  }
}
