package io.streamsight.archive.retention;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.DocFields;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;

/**
 * Decides what retention deletes: first every window that ended before {@code now - retain}, then,
 * while index plus thumbnails exceed the disk budget, the oldest windows (by window start) until
 * the estimate falls to {@value #TARGET_FILL} of the budget. The headroom keeps the archive from
 * deleting a handful of documents on every check once it is full.
 *
 * <p>A document's share of the index is estimated as index bytes / documents (Lucene stores
 * everything per segment, so exact per-document sizes do not exist); its thumbnails are counted
 * exactly. Pure decision: the caller deletes, commits and then removes the thumbnail files.
 */
public final class RetentionPlanner {
  static final double TARGET_FILL = 0.9;
  private static final int PAGE = 10_000;

  private final Duration retain;
  private final long maxDiskBytes;

  public RetentionPlanner(Duration retain, long maxDiskBytes) {
    this.retain = retain;
    this.maxDiskBytes = maxDiskBytes;
  }

  /** What to delete, and why. */
  public record Plan(List<ArchiveDoc> expired, List<ArchiveDoc> overBudget) {
    public boolean isEmpty() {
      return expired.isEmpty() && overBudget.isEmpty();
    }
  }

  /**
   * @param indexBytes size of the index on disk now
   * @param thumbnailBytes size of the thumbnails on disk now
   */
  public Plan plan(IndexSearcher s, Instant now, long indexBytes, long thumbnailBytes)
      throws IOException {
    long cutoff = ChronoUnit.MICROS.between(Instant.EPOCH, now.minus(retain));
    Query old = LongPoint.newRangeQuery(DocFields.END, Long.MIN_VALUE, cutoff - 1);
    List<ArchiveDoc> expired = oldestFirst(s, old, Long.MAX_VALUE, Long.MAX_VALUE, 0);
    int docs = s.getIndexReader().numDocs();
    long perDoc = docs == 0 ? 0 : indexBytes / docs;
    long used = indexBytes + thumbnailBytes;
    for (ArchiveDoc d : expired) {
      used -= perDoc + d.thumbnailBytes();
    }
    List<ArchiveDoc> overBudget = List.of();
    if (used > maxDiskBytes) {
      long toFree = used - (long) (maxDiskBytes * TARGET_FILL);
      Query young = LongPoint.newRangeQuery(DocFields.END, cutoff, Long.MAX_VALUE);
      overBudget = oldestFirst(s, young, toFree, perDoc, 1);
    }
    return new Plan(expired, overBudget);
  }

  /**
   * Documents matching {@code q}, oldest window first, until their estimated size reaches {@code
   * bytes} (or all of them).
   */
  private static List<ArchiveDoc> oldestFirst(
      IndexSearcher s, Query q, long bytes, long perDoc, int minimum) throws IOException {
    Sort byStart = new Sort(new SortField(DocFields.START, SortField.Type.LONG));
    List<ArchiveDoc> out = new ArrayList<>();
    long freed = 0;
    ScoreDoc after = null;
    while (true) {
      TopDocs page =
          after == null ? s.search(q, PAGE, byStart) : s.searchAfter(after, q, PAGE, byStart);
      for (ScoreDoc sd : page.scoreDocs) {
        if (out.size() >= minimum && freed >= bytes) {
          return out;
        }
        ArchiveDoc d = DocFields.fromDocument(s.storedFields().document(sd.doc));
        out.add(d);
        freed += perDoc == Long.MAX_VALUE ? 0 : perDoc + d.thumbnailBytes();
      }
      if (page.scoreDocs.length < PAGE) {
        return out;
      }
      after = page.scoreDocs[page.scoreDocs.length - 1];
    }
  }
}
