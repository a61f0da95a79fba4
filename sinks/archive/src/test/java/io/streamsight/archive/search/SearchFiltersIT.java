package io.streamsight.archive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.search.SearchRequest.Mode;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.schemas.validation.CameraGlob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters are exact: the best matches for the text lie outside the filter (other cameras, other
 * times, the other kind), and a filtered search still returns only matching windows, and finds the
 * matching window that is relevant, in every retrieval mode.
 */
@Timeout(180)
class SearchFiltersIT {
  private static final long MIN = 60_000_000L;
  private static MiniLmEmbedder embedder;
  private static ArchiveIndex index;
  private static HybridSearcher searcher;

  @TempDir static Path dir;

  @BeforeAll
  static void build() throws Exception {
    embedder = MiniLmEmbedder.load(0);
    index = ArchiveIndex.open(dir.resolve("index"), true, embedder.modelId());
    List<ArchiveDoc> docs = new ArrayList<>();
    Random rnd = new Random(7);
    String[] cams = {"dock-1", "dock-2", "gate-north", "lobby", "yard"};
    // 600 strong matches for "truck unloading at the dock" everywhere except on yard at hours 0-9
    for (int i = 0; i < 600; i++) {
      String cam = cams[rnd.nextInt(4)];
      docs.add(
          doc(
              "m" + i,
              cam,
              (600 + rnd.nextInt(800)) * MIN,
              Kind.SUMMARY,
              "A truck is unloading pallets at the loading dock, workers carry boxes."));
    }
    // the only matching window inside the filters below: weak wording, on yard, at 05:00
    docs.add(
        doc(
            "target",
            "yard",
            300 * MIN,
            Kind.SUMMARY,
            "A lorry is parked by the shed and someone takes crates out of it."));
    for (int i = 0; i < 200; i++) {
      docs.add(
          doc(
              "y" + i,
              "yard",
              rnd.nextInt(600) * MIN,
              Kind.SUMMARY,
              "Trailers stand in the yard; nobody is around."));
    }
    // alerts that match the text well, inside the camera and time range but of the other kind
    for (int i = 0; i < 50; i++) {
      docs.add(
          doc("a" + i, "yard", (200 + i) * MIN, Kind.ALERT, "Is a truck unloading at the dock?"));
    }
    float[][] v = embedder.embed(docs.stream().map(ArchiveDoc::text).toList());
    for (int i = 0; i < docs.size(); i++) {
      index.upsert(docs.get(i), v[i]);
    }
    index.commit(CommitPoint.empty(embedder.modelId()));
    index.refresh();
    searcher = new HybridSearcher(index.searchers(), embedder);
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
    embedder.close();
  }

  private static ArchiveDoc doc(String id, String cam, long start, Kind kind, String text) {
    return new ArchiveDoc(
        id,
        kind,
        cam,
        start,
        start + 10_000_000L,
        text,
        kind == Kind.ALERT ? id : null,
        kind == Kind.ALERT ? "r" : null,
        kind == Kind.ALERT ? "HIGH" : null,
        List.of(),
        0,
        null);
  }

  @Test
  void cameraTimeAndKindFiltersNeverLetAnythingElseThroughAndStillFindTheMatch() {
    for (Mode m : Mode.values()) {
      SearchRequest r =
          SearchRequest.text("truck unloading at the dock", 10)
              .withMode(m)
              .withCamera("y?r*")
              .withRange(0L, 600 * MIN)
              .withKind(Kind.SUMMARY);
      List<Hit> hits = searcher.search(r);
      // BM25 has nothing to find inside the filter (no shared word), and must not look outside.
      assertEquals(m == Mode.TEXT, hits.isEmpty(), m.toString());
      for (Hit h : hits) {
        ArchiveDoc d = h.doc();
        assertTrue(CameraGlob.matches("y?r*", d.cameraId()), m + " " + d);
        assertTrue(d.windowStartMicros() >= 0 && d.windowStartMicros() < 600 * MIN, m + " " + d);
        assertEquals(Kind.SUMMARY, d.kind(), m + " " + d);
      }
      if (m != Mode.TEXT) {
        assertEquals("target", hits.get(0).doc().id(), m.toString());
      }
    }
  }

  @Test
  void eachFilterAloneIsExact() {
    SearchRequest base = SearchRequest.text("truck unloading at the dock", 200);
    for (Hit h : searcher.search(base.withCamera("dock-?"))) {
      assertTrue(h.doc().cameraId().startsWith("dock-"), h.doc().toString());
    }
    for (Hit h : searcher.search(base.withRange(700 * MIN, 701 * MIN))) {
      long s = h.doc().windowStartMicros();
      assertTrue(s >= 700 * MIN && s < 701 * MIN, h.doc().toString());
    }
    List<Hit> alerts = searcher.search(base.withKind(Kind.ALERT));
    assertEquals(50, alerts.size());
    alerts.forEach(h -> assertEquals(Kind.ALERT, h.doc().kind()));
  }

  @Test
  void similarToFindsLikeWindowsAndLeavesTheReferenceOut() {
    List<Hit> hits =
        searcher.search(new SearchRequest(null, "m1", "dock-*", null, null, null, 5, Mode.HYBRID));
    assertEquals(5, hits.size());
    hits.forEach(h -> assertTrue(!h.doc().id().equals("m1") && h.doc().id().startsWith("m")));
  }
}
