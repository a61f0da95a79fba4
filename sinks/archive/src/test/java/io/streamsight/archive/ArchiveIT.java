package io.streamsight.archive;

import static io.streamsight.archive.ArchiveRecords.SEC;
import static io.streamsight.archive.ArchiveRecords.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.archive.thumbs.ThumbnailStore;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive on a real broker: summaries, alerts and keyframes written transactionally, indexed by
 * a one-shot run; thumbnails kept; bad records dead-lettered without stopping it; a rebuild from
 * the topics gives the same answers.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(240)
class ArchiveIT {
  private static MiniLmEmbedder embedder;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    embedder = MiniLmEmbedder.load(0);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void indexesKeepsEvidenceDeadLettersBadRecordsAndRebuildsTheSame(KafkaBroker broker)
      throws Exception {
    ArchiveRecords.createTopics(broker);
    String run = "t" + UUID.randomUUID().toString().substring(0, 8);
    String dock = run + "-dock";
    String gate = run + "-gate";
    List<KeyframeRef> frames = new ArrayList<>();
    try (ArchiveRecords.Writer w = new ArchiveRecords.Writer(broker)) {
      for (int i = 0; i < 3; i++) {
        byte[] jpeg = ArchiveRecords.jpeg(1280, 720, new Color(40 * i, 80, 120));
        frames.add(w.sendKeyframe(ArchiveRecords.keyframe(dock, i, T0 + i * SEC, jpeg, 1280, 720)));
      }
      w.commit();
      w.send(
          ArchiveRecords.summary(
              dock,
              T0,
              "A white box truck is backed up to the dock; two workers unload pallets.",
              frames));
      for (int i = 1; i <= 20; i++) {
        w.send(
            ArchiveRecords.summary(
                i % 2 == 0 ? dock : gate,
                T0 + i * 10 * SEC,
                i % 2 == 0 ? "The loading dock is empty." : "A car waits at the gate barrier.",
                List.of()));
      }
      Alert started =
          ArchiveRecords.alert(
              run + "-alert-1",
              "fence",
              gate,
              T0 + 300 * SEC,
              "Is someone climbing the fence?",
              frames.subList(0, 2));
      w.send(started);
      // The event's later records replace its one document (same event id).
      Alert updated =
          Alert.newBuilder(started)
              .setPhase(AlertPhase.UPDATED)
              .setEventStartMicros(T0 + 301 * SEC)
              .setPeakPYes(0.95)
              .setSummaryText("A man in a red jacket climbs over the fence.")
              .build();
      w.send(updated);
      w.send(
          Alert.newBuilder(updated)
              .setPhase(AlertPhase.ENDED)
              .setEventEndMicros(T0 + 331 * SEC)
              .setEndReason("CLEARED")
              .build());
      // Two records that cannot be indexed: not Avro at all, and a camera id with a space.
      w.send(
          Topics.SUMMARIES.name(),
          run + "-bad",
          ("garbage " + run).getBytes(StandardCharsets.UTF_8));
      w.send(
          ArchiveRecords.summary(
              run + " bad id", T0, "A summary from a camera id with a space.", List.of()));
    }

    ArchiveConfig config = ArchiveRecords.config(broker, dir);
    List<String> before;
    try (Archive archive = Archive.open(config, embedder, false)) {
      archive.runOnce();
      List<Hit> hits =
          archive.search(
              SearchRequest.text("lorry with workers taking pallets off", 5)
                  .withCamera(run + "-*"));
      assertFalse(hits.isEmpty());
      ArchiveDoc top = hits.get(0).doc();
      assertEquals(ArchiveDoc.summaryId(dock, T0), top.id());
      assertEquals(1, top.thumbnails().size(), "one representative keyframe per summary");
      Path thumb =
          new ThumbnailStore(new ArchiveLayout(dir).thumbnails()).path(top.thumbnails().get(0));
      BufferedImage img = ImageIO.read(thumb.toFile());
      assertEquals(320, Math.max(img.getWidth(), img.getHeight()));

      List<Hit> alerts =
          archive.search(
              SearchRequest.text("person scaling a fence", 5)
                  .withCamera(run + "-*")
                  .withKind(Kind.ALERT));
      assertEquals(1, alerts.size(), "one document per event");
      ArchiveDoc a = alerts.get(0).doc();
      assertEquals(run + "-alert-1", a.alertId());
      assertTrue(a.text().contains("red jacket"), "searchable by its summary: " + a.text());
      assertTrue(a.event().startsWith("ENDED fence on " + gate + " after 30.0s"), a.event());
      assertEquals(T0 + 331 * SEC, a.windowEndMicros(), "ends where the event ended");
      assertEquals(
          1,
          archive
              .search(
                  SearchRequest.text("red jacket climbing", 5)
                      .withCamera(run + "-*")
                      .withKind(Kind.ALERT))
              .size());
      assertEquals("fence", a.ruleId());
      assertEquals("HIGH", a.severity());
      assertEquals(2, a.thumbnails().size(), "every evidence keyframe kept");

      before =
          ids(archive.search(SearchRequest.text("truck at the dock", 10).withCamera(run + "-*")));
      ArchiveStatus status = archive.status();
      assertTrue(status.summaries() >= 21 && status.alerts() >= 1, status.toString());
      assertTrue(status.thumbnails() >= 3, status.toString());
      assertTrue(status.commit().counter("deadLettered") >= 2, status.toString());
    }

    List<DeadLetter> dead =
        ArchiveRecords.readAll(broker, Topics.dlq("archive").name()).stream()
            .map(
                r ->
                    (DeadLetter)
                        Topics.dlq("archive")
                            .valueSerde()
                            .deserializer()
                            .deserialize("", r.value()))
            .filter(
                d ->
                    d.getOriginalValue() != null
                        && new String(bytes(d), StandardCharsets.ISO_8859_1).contains(run))
            .toList();
    assertEquals(2, dead.size(), "both bad records dead-lettered: " + dead);
    assertTrue(dead.stream().anyMatch(d -> d.getErrorMessage().toString().contains("BAD_HEADER")));
    assertTrue(dead.stream().anyMatch(d -> d.getErrorMessage().toString().contains("cameraId")));

    try (Archive rebuilt = Archive.open(config, embedder, true)) {
      rebuilt.runOnce();
      assertEquals(
          before,
          ids(rebuilt.search(SearchRequest.text("truck at the dock", 10).withCamera(run + "-*"))),
          "a rebuild from the topics answers the same");
      assertTrue(
          Files.exists(
              new ThumbnailStore(new ArchiveLayout(dir).thumbnails())
                  .path(ThumbnailStore.id(ArchiveDoc.summaryId(dock, T0), 0))));
    }
  }

  private static byte[] bytes(DeadLetter d) {
    java.nio.ByteBuffer b = d.getOriginalValue().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static List<String> ids(List<Hit> hits) {
    return hits.stream().map(h -> h.doc().id()).toList();
  }
}
