package io.streamsight.archive;

import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.index.ParallelSearchers;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.HybridSearcher;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Read-only searches over an archive directory, from its last commit; needs no write lock, so it
 * can run beside the archive process ({@code streamsight search}). {@link #refresh} picks up newer
 * commits.
 */
public final class ArchiveReader implements AutoCloseable {
  private final Directory directory;
  private final ParallelSearchers searcherFactory;
  private final SearcherManager searchers;
  private final HybridSearcher searcher;

  private ArchiveReader(
      Directory directory,
      ParallelSearchers factory,
      SearcherManager searchers,
      TextEmbedder embedder) {
    this.directory = directory;
    this.searcherFactory = factory;
    this.searchers = searchers;
    this.searcher = new HybridSearcher(searchers, embedder);
  }

  public static ArchiveReader open(Path dir, TextEmbedder embedder) {
    Path index = new ArchiveLayout(dir).index();
    if (!Files.isDirectory(index)) {
      throw new ArchiveException("no archive in " + dir + " (run `streamsight archive` first)");
    }
    try {
      Directory d = FSDirectory.open(index);
      if (!DirectoryReader.indexExists(d)) {
        d.close();
        throw new ArchiveException("no archive in " + dir + " (no index commit yet)");
      }
      ParallelSearchers factory = new ParallelSearchers();
      return new ArchiveReader(d, factory, new SearcherManager(d, factory), embedder);
    } catch (IOException e) {
      throw new ArchiveException("cannot open archive " + dir + ": " + e.getMessage(), e);
    }
  }

  public List<Hit> search(SearchRequest r) {
    return searcher.search(r);
  }

  public void refresh() throws IOException {
    searchers.maybeRefresh();
  }

  @Override
  public void close() throws IOException {
    searchers.close();
    searcherFactory.close();
    directory.close();
  }
}
