package io.streamsight.archive.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.archive.ArchiveConfig;
import io.streamsight.archive.HashingEmbedder;
import io.streamsight.archive.consume.Batch;
import io.streamsight.archive.consume.BatchIndexer;
import io.streamsight.archive.consume.Pending;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.index.DocFields;
import io.streamsight.archive.thumbs.ThumbnailStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Retention and the disk budget delete the oldest windows first, documents and thumbnails. */
@Timeout(60)
class RetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final long MIN = 60_000_000L;
  private static final long NOW_MICROS = NOW.toEpochMilli() * 1000;

  @TempDir Path dir;

  private BatchIndexer indexer(
      ArchiveIndex index, ThumbnailStore store, String retain, String disk) {
    ArchiveConfig c =
        ArchiveConfig.parse(Map.of("dir", dir.toString(), "retain", retain, "max-disk", disk))
            .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    return new BatchIndexer(index, new HashingEmbedder(), null, store, null, c);
  }

  /** 200 windows, one a minute back from now, each with a 20 KB thumbnail. */
  private List<ArchiveDoc> fill(BatchIndexer indexer, ThumbnailStore store) throws Exception {
    List<Pending> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long start = NOW_MICROS - (i + 1) * MIN;
      String id = ArchiveDoc.summaryId("cam-" + (i % 3), start);
      String thumb = ThumbnailStore.id(id, 0);
      long bytes = store.write(thumb, new byte[20_000]);
      ArchiveDoc d =
          new ArchiveDoc(
              id,
              Kind.SUMMARY,
              "cam-" + (i % 3),
              start,
              start + 10_000_000L,
              "window " + i + " a truck at the dock",
              null,
              null,
              null,
              List.of(thumb),
              bytes,
              null);
      items.add(new Pending(d, List.of()));
    }
    // The first batch also runs the first retention check (the indexer checks on its first batch).
    indexer.process(new Batch(items, Map.of(), 0, 0, false));
    indexer.commit();
    return items.stream().map(Pending::doc).toList();
  }

  private static List<ArchiveDoc> docs(ArchiveIndex index) throws Exception {
    index.refresh();
    IndexSearcher s = index.searchers().acquire();
    try {
      List<ArchiveDoc> out = new ArrayList<>();
      for (ScoreDoc sd : s.search(new MatchAllDocsQuery(), 10_000).scoreDocs) {
        out.add(DocFields.fromDocument(s.storedFields().document(sd.doc)));
      }
      return out;
    } finally {
      index.searchers().release(s);
    }
  }

  @Test
  void shouldDeleteWindowsOlderThanTheRetentionPeriodWithTheirThumbnails() throws Exception {
    ArchiveLayout layout = new ArchiveLayout(dir);
    ThumbnailStore store = new ThumbnailStore(layout.thumbnails());
    try (ArchiveIndex index = ArchiveIndex.open(layout.index(), false, "test-hashing-64")) {
      BatchIndexer indexer = indexer(index, store, "60m", "5g");
      fill(indexer, store);
      indexer.enforceRetention();
      List<ArchiveDoc> left = docs(index);
      long cutoff = NOW_MICROS - 60 * MIN;
      assertTrue(left.stream().allMatch(d -> d.windowEndMicros() >= cutoff));
      assertEquals(60, left.size(), "windows ending in the last hour stay");
      assertEquals(60, store.usage().files());
      assertEquals(140, index.committed().counter(CommitPoint.DELETED_BY_RETENTION));
    }
  }

  @Test
  void shouldKeepUnderTheDiskBudgetByDeletingTheOldestFirst() throws Exception {
    ArchiveLayout layout = new ArchiveLayout(dir);
    ThumbnailStore store = new ThumbnailStore(layout.thumbnails());
    try (ArchiveIndex index = ArchiveIndex.open(layout.index(), false, "test-hashing-64")) {
      BatchIndexer indexer = indexer(index, store, "30d", "2m"); // 200 × 20 KB = 4 MB of thumbnails
      List<ArchiveDoc> all = fill(indexer, store);
      indexer.enforceRetention();
      List<ArchiveDoc> left = docs(index);
      long used = index.sizeOnDisk() + store.usage().bytes();
      assertTrue(used <= 2L << 20, "disk use " + used + " over the 2 MiB budget");
      assertTrue(left.size() > 50 && left.size() < 200, "left " + left.size());
      long oldestKept = left.stream().mapToLong(ArchiveDoc::windowStartMicros).min().getAsLong();
      List<ArchiveDoc> gone = all.stream().filter(d -> !left.contains(d)).toList();
      assertTrue(gone.stream().allMatch(d -> d.windowStartMicros() < oldestKept), "oldest first");
      assertEquals(left.size(), store.usage().files(), "thumbnails of deleted windows deleted");
      gone.forEach(d -> assertTrue(Files.notExists(store.path(d.thumbnails().get(0)))));
      assertEquals(gone.size(), index.committed().counter(CommitPoint.DELETED_BY_DISK_BUDGET));
    }
  }
}
