package io.streamsight.archive.index;

import io.streamsight.archive.ArchiveException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * The writable Lucene index of an archive: one writer (the directory's write lock keeps a second
 * archive process out), near-real-time searchers, and commits that carry a {@link CommitPoint}. Not
 * thread-safe for writing: the archive's worker thread is the only writer.
 */
public final class ArchiveIndex implements AutoCloseable {
  /**
   * Text analysis for indexing and queries alike: English stemming, and Snowball's English stop
   * list (about 170 words) rather than Lucene's default 33: people type questions ("when did
   * someone..."), and words like when, did, where, being would otherwise match every caption.
   */
  public static Analyzer analyzer() {
    return new EnglishAnalyzer(STOP_WORDS);
  }

  private static final CharArraySet STOP_WORDS = loadStopWords();

  private static CharArraySet loadStopWords() {
    try (java.io.Reader r =
        IOUtils.getDecodingReader(
            SnowballFilter.class, "english_stop.txt", java.nio.charset.StandardCharsets.UTF_8)) {
      return CharArraySet.unmodifiableSet(WordlistLoader.getSnowballWordSet(r));
    } catch (IOException e) {
      throw new IllegalStateException("Lucene's Snowball English stop list is missing", e);
    }
  }

  private final Directory directory;
  private final IndexWriter writer;
  private final ParallelSearchers searcherFactory = new ParallelSearchers();
  private final SearcherManager searchers;
  private CommitPoint committed;

  private ArchiveIndex(Directory directory, IndexWriter writer, CommitPoint committed)
      throws IOException {
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, searcherFactory);
    this.committed = committed;
  }

  /**
   * Opens (or creates) the index.
   *
   * @param recreate drop every document and offset (rebuild from the topics)
   * @param modelId the embedder in use; an index built with another model is refused, since its
   *     vectors would not be comparable
   */
  public static ArchiveIndex open(Path dir, boolean recreate, String modelId) {
    try {
      Files.createDirectories(dir);
      Directory directory = FSDirectory.open(dir);
      IndexWriterConfig cfg = new IndexWriterConfig(analyzer());
      cfg.setOpenMode(
          recreate
              ? IndexWriterConfig.OpenMode.CREATE
              : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      cfg.setRAMBufferSizeMB(64);
      CommitPoint last = recreate ? null : readCommit(directory);
      if (last != null && last.modelId() != null && !last.modelId().equals(modelId)) {
        directory.close();
        throw new ArchiveException(
            "archive index "
                + dir
                + " was built with "
                + last.modelId()
                + ", not "
                + modelId
                + "; rebuild it (--rebuild)");
      }
      IndexWriter writer = new IndexWriter(directory, cfg);
      return new ArchiveIndex(directory, writer, last == null ? CommitPoint.empty(modelId) : last);
    } catch (IOException e) {
      throw new ArchiveException("cannot open archive index " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The commit user data of the latest commit in {@code dir}, or null when there is none. */
  public static CommitPoint readCommit(Directory directory) throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return null;
    }
    List<org.apache.lucene.index.IndexCommit> commits = DirectoryReader.listCommits(directory);
    return CommitPoint.fromUserData(commits.get(commits.size() - 1).getUserData());
  }

  /** The last commit (what a restart resumes from). */
  public CommitPoint committed() {
    return committed;
  }

  /** Adds a document, replacing any with the same id. */
  public void upsert(ArchiveDoc doc, float[] vector) throws IOException {
    writer.updateDocument(
        new Term(DocFields.ID, doc.id()), DocFields.toDocument(doc, jitter(doc.id(), vector)));
  }

  /**
   * Captions repeat ("The loading dock is empty." thousands of times a day), and many identical
   * vectors break Lucene's HNSW graph: identical nodes link only among themselves and a search
   * returns far fewer than k results (measured: 34 of 100 on 851 documents with 3 distinct texts,
   * none with a selective filter). A deterministic nudge per document (Gaussian, σ = 1e-4 per
   * component, seeded by the id) makes them distinct; cosines move by about 1e-6, which changes no
   * ranking that matters. {@code SearchFiltersIT} covers it.
   */
  static float[] jitter(String id, float[] v) {
    java.util.SplittableRandom r =
        new java.util.SplittableRandom(id.hashCode() * 0x9E3779B97F4A7C15L);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      // Sum of two uniforms: cheap, bounded, close enough to Gaussian for this purpose.
      out[i] = v[i] + (float) ((r.nextDouble() + r.nextDouble() - 1.0) * JITTER);
    }
    io.streamsight.embeddings.Vectors.normalise(out);
    return out;
  }

  private static final double JITTER = 1.7e-4; // σ of the sum of two U(-.5,.5)·2·J is about J/1.7

  public void delete(Query query) throws IOException {
    writer.deleteDocuments(query);
  }

  public void deleteIds(List<String> ids) throws IOException {
    Term[] terms = ids.stream().map(id -> new Term(DocFields.ID, id)).toArray(Term[]::new);
    writer.deleteDocuments(terms);
  }

  /** Makes documents and {@code point} durable together. */
  public void commit(CommitPoint point) throws IOException {
    writer.setLiveCommitData(point.toUserData().entrySet());
    writer.commit();
    committed = point;
  }

  /** Rewrites segments with many deleted documents so a disk budget actually frees space. */
  public void expungeDeletes() throws IOException {
    writer.forceMergeDeletes(true);
  }

  /** Makes recent changes visible to searches (not durable until {@link #commit}). */
  public void refresh() throws IOException {
    searchers.maybeRefresh();
  }

  public SearcherManager searchers() {
    return searchers;
  }

  /** Bytes of the index files on disk. */
  public long sizeOnDisk() throws IOException {
    long total = 0;
    for (String f : directory.listAll()) {
      try {
        total += directory.fileLength(f);
      } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
        // merged away between list and stat
      }
    }
    return total;
  }

  /** Closes without committing: what was added since the last commit is dropped, like a crash. */
  @Override
  public void close() throws IOException {
    searchers.close();
    searcherFactory.close();
    writer.rollback();
    directory.close();
  }
}
