package io.streamsight.archive.index;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;

/**
 * Searchers that search index segments concurrently (Lucene runs the per-segment HNSW searches of a
 * KNN query, and slices of the BM25 query, on the executor). A live index has tens of segments,
 * each with its own graph, so one query's latency drops by up to the number of cores when they are
 * free; when they are busy it costs nothing but a hand-off.
 */
public final class ParallelSearchers extends SearcherFactory implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService executor;

  public ParallelSearchers() {
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            r -> {
              Thread t = new Thread(r, "archive-search-" + pool + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
    return new IndexSearcher(reader, executor);
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
