package io.streamsight.deploy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.archive.Archive;
import io.streamsight.archive.ArchiveConfig;
import io.streamsight.console.AccessToken;
import io.streamsight.console.ConsoleConfig;
import io.streamsight.console.ConsoleServer;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.Color;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's {@code /api/search} over a real archive: summaries published to a real broker,
 * archived once, searched through the console's HTTP API with camera and time filters, the archived
 * thumbnail served by the console, and a later archive commit found without restarting the console
 * (the reader is refreshed per search).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class ArchiveSearchBackendIT {
  private static final long MINUTE = 60_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void consoleSearchesTheArchiveWithFiltersThumbnailsAndNewCommits(KafkaBroker broker)
      throws Exception {
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    String run = "web" + UUID.randomUUID().toString().substring(0, 6);
    String dock = run + "-dock";
    String gate = run + "-gate";
    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    Path archiveDir = dir.resolve("archive");

    try (KafkaProducer<byte[], byte[]> p =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        MiniLmEmbedder embedder = MiniLmEmbedder.load(1)) {
      Keyframe frame =
          FrameRecords.keyframe(FrameRecords.frame(dock, 1, now - 30 * MINUTE).build())
              .setJpeg(java.nio.ByteBuffer.wrap(FrameRecords.solidJpeg(Color.ORANGE, 320, 240)))
              .setWidth(320)
              .setHeight(240)
              .build();
      RecordMetadata m =
          send(p, Topics.KEYFRAMES.name(), dock, AvroCodec.of(Keyframe.class).encode(frame));
      KeyframeRef ref =
          KeyframeRef.newBuilder()
              .setTopic(m.topic())
              .setPartition(m.partition())
              .setOffset(m.offset())
              .setCaptureTimeMicros(frame.getCaptureTimeMicros())
              .setSequence(frame.getSequence())
              .build();
      summary(p, dock, now - 30 * MINUTE, List.of(ref), "A truck backs up to the loading dock.");
      summary(p, gate, now - 20 * MINUTE, List.of(), "A truck unloads boxes next to the gate.");
      summary(p, dock, now - 10 * MINUTE, List.of(), "The loading dock is empty.");
      archiveOnce(bootstrap, archiveDir, embedder);

      ConsoleConfig config =
          ConsoleConfig.defaults(bootstrap, dir.resolve("console")).withBind("127.0.0.1", 0);
      try (ArchiveSearchBackend search = ArchiveSearchBackend.sharing(archiveDir, embedder);
          ConsoleServer console =
              ConsoleServer.start(
                  config,
                  AccessToken.loadOrCreate(dir.resolve("console")),
                  search,
                  SubscriptionsBackend.NOT_CONFIGURED)) {
        String base = console.url().toString().replaceAll("/$", "");
        assertTrue(json(base + "/api/health").path("search").asBoolean());

        // Camera filter: only the dock's windows, the unloading one first (a paraphrase).
        JsonNode byCamera =
            json(base + "/api/search?q=" + enc("lorry at the dock") + "&camera=" + dock);
        List<JsonNode> hits = list(byCamera.path("hits"));
        assertEquals(2, hits.size(), byCamera.toString());
        assertTrue(hits.stream().allMatch(h -> h.path("cameraId").asText().equals(dock)));
        JsonNode top = hits.get(0);
        assertEquals("summary", top.path("kind").asText());
        assertEquals(now - 30 * MINUTE, top.path("windowStartMicros").asLong(), top.toString());
        assertEquals(now - 30 * MINUTE + 10_000_000L, top.path("windowEndMicros").asLong());
        assertTrue(top.path("text").asText().contains("truck"), top.toString());
        assertTrue(top.path("score").asDouble() > 0, top.toString());

        // The archive's own thumbnail of the window's keyframe, served by the console.
        String thumb = top.path("thumbnails").path(0).asText();
        assertTrue(thumb.startsWith("/api/thumbnails/"), top.toString());
        HttpResponse<byte[]> img = get(base + thumb);
        assertEquals(200, img.statusCode());
        assertEquals("image/jpeg", img.headers().firstValue("Content-Type").orElse(""));
        assertEquals((byte) 0xff, img.body()[0]);
        assertEquals((byte) 0xd8, img.body()[1]);
        assertEquals(404, get(base + "/api/thumbnails/000000000000000000000000").statusCode());
        assertEquals(400, get(base + "/api/thumbnails/not*an*id").statusCode());

        // Time filters: since drops the window that started before it, until keeps only it. (Each
        // on one of this run's cameras: other tests archive summaries on the same shared broker.)
        List<JsonNode> recent =
            list(
                json(base
                        + "/api/search?q=truck&since="
                        + iso(now - 25 * MINUTE)
                        + "&camera="
                        + gate)
                    .path("hits"));
        assertFalse(recent.isEmpty());
        assertTrue(recent.stream().anyMatch(h -> h.path("cameraId").asText().equals(gate)));
        assertTrue(
            recent.stream()
                .allMatch(h -> h.path("windowStartMicros").asLong() >= now - 25 * MINUTE),
            recent.toString());
        List<JsonNode> early =
            list(
                json(base
                        + "/api/search?q=truck&until="
                        + iso(now - 25 * MINUTE)
                        + "&camera="
                        + dock)
                    .path("hits"));
        assertEquals(1, early.size(), early.toString());
        assertEquals(now - 30 * MINUTE, early.get(0).path("windowStartMicros").asLong());

        // A later commit (another archive run on the same directory) is found without a restart.
        summary(p, gate, now - 5 * MINUTE, List.of(), "A forklift carries a crate past the gate.");
        archiveOnce(bootstrap, archiveDir, embedder);
        List<JsonNode> later =
            list(json(base + "/api/search?q=forklift&camera=" + gate + "&limit=1").path("hits"));
        assertEquals(1, later.size());
        assertEquals(now - 5 * MINUTE, later.get(0).path("windowStartMicros").asLong());
      }
    }
  }

  private static void archiveOnce(String bootstrap, Path dir, MiniLmEmbedder embedder)
      throws InterruptedException {
    ArchiveConfig config =
        ArchiveConfig.parse(
            Map.of(
                ArchiveConfig.BOOTSTRAP.name(),
                bootstrap,
                ArchiveConfig.DIR.name(),
                dir.toString()));
    try (Archive archive = Archive.open(config, embedder, false)) {
      archive.runOnce();
    }
  }

  private static void summary(
      KafkaProducer<byte[], byte[]> p,
      String camera,
      long start,
      List<KeyframeRef> refs,
      String text)
      throws Exception {
    Summary s =
        Summary.newBuilder()
            .setCameraId(camera)
            .setWindowStartMicros(start)
            .setWindowEndMicros(start + 10_000_000L)
            .setKeyframes(refs)
            .setText(text)
            .setModelId("test")
            .setTimings(InferenceTimings.newBuilder().build())
            .build();
    send(p, Topics.SUMMARIES.name(), camera, AvroCodec.of(Summary.class).encode(s));
  }

  private static RecordMetadata send(
      KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) throws Exception {
    return p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode json(String url) throws Exception {
    HttpResponse<byte[]> r = get(url);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(200, r.statusCode(), url + ": " + body);
    return JSON.readTree(body);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static String iso(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
