package io.streamsight.archive;

import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.index.DocFields;
import io.streamsight.archive.thumbs.ThumbnailStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The figures of an archive as of its last commit: documents, disk use against the budget,
 * retention, the offsets it will resume from and its counters. Read without the write lock, so it
 * works while an archive process is running.
 *
 * @param oldestWindowMicros start of the oldest archived window, or null when empty
 * @param newestWindowMicros start of the newest archived window, or null when empty
 */
public record ArchiveStatus(
    Path dir,
    long summaries,
    long alerts,
    long thumbnails,
    long thumbnailBytes,
    long indexBytes,
    Long oldestWindowMicros,
    Long newestWindowMicros,
    CommitPoint commit) {

  public long totalBytes() {
    return indexBytes + thumbnailBytes;
  }

  public Map<String, Long> offsets() {
    Map<String, Long> m = new TreeMap<>();
    for (Map.Entry<TopicPartition, Long> e : commit.offsets().entrySet()) {
      m.put(e.getKey().topic() + "-" + e.getKey().partition(), e.getValue());
    }
    return m;
  }

  /** Reads the status of the archive in {@code dir}. */
  public static ArchiveStatus read(Path dir) {
    ArchiveLayout layout = new ArchiveLayout(dir);
    if (!Files.isDirectory(layout.index())) {
      throw new ArchiveException("no archive in " + dir + " (no index directory)");
    }
    try (Directory d = FSDirectory.open(layout.index())) {
      CommitPoint commit = ArchiveIndex.readCommit(d);
      if (commit == null) {
        throw new ArchiveException("no archive in " + dir + " (no index commit yet)");
      }
      long indexBytes = 0;
      for (String f : d.listAll()) {
        try {
          indexBytes += d.fileLength(f);
        } catch (java.nio.file.NoSuchFileException gone) {
          // merged away by a running archive between list and stat
        }
      }
      ThumbnailStore.Usage thumbs = new ThumbnailStore(layout.thumbnails()).usage();
      try (DirectoryReader r = DirectoryReader.open(d)) {
        IndexSearcher s = new IndexSearcher(r);
        return new ArchiveStatus(
            dir,
            s.count(new TermQuery(new Term(DocFields.KIND, "summary"))),
            s.count(new TermQuery(new Term(DocFields.KIND, "alert"))),
            thumbs.files(),
            thumbs.bytes(),
            indexBytes,
            edge(s, false),
            edge(s, true),
            commit);
      }
    } catch (IOException e) {
      throw new ArchiveException("cannot read archive " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Long edge(IndexSearcher s, boolean newest) throws IOException {
    TopDocs td =
        s.search(
            new MatchAllDocsQuery(),
            1,
            new Sort(new SortField(DocFields.START, SortField.Type.LONG, newest)));
    if (td.scoreDocs.length == 0) {
      return null;
    }
    return s.storedFields()
        .document(td.scoreDocs[0].doc)
        .getField(DocFields.START)
        .numericValue()
        .longValue();
  }
}
