package io.streamsight.archive;

import io.streamsight.archive.consume.Batch;
import io.streamsight.archive.consume.BatchIndexer;
import io.streamsight.archive.consume.DeadLetters;
import io.streamsight.archive.consume.RecordMapper;
import io.streamsight.archive.consume.SourceReader;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.HybridSearcher;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.archive.thumbs.EvidenceKeeper;
import io.streamsight.archive.thumbs.KeyframeFetcher;
import io.streamsight.archive.thumbs.ThumbnailStore;
import io.streamsight.archive.thumbs.Thumbnailer;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The searchable history of summaries and alerts: a Lucene index derived from {@code vlm.summaries}
 * and {@code vlm.alerts}, with evidence thumbnails, that a CLI, a console or the demo runs
 * in-process.
 *
 * <p>Two threads: a consumer thread reads and decodes records, an indexing thread keeps thumbnails,
 * embeds and indexes; each index commit carries the offsets it covers, so a restart (also after a
 * crash) resumes with no gap and no duplicate. {@link #search} may be called from any thread at any
 * time.
 */
public final class Archive implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Archive.class);
  private static final int QUEUED_BATCHES = 4;

  private final ArchiveConfig config;
  private final TextEmbedder embedder;
  private final boolean ownsEmbedder;
  private final ArchiveIndex index;
  private final DeadLetters deadLetters;
  private final EvidenceKeeper evidence;
  private final BatchIndexer indexer;
  private final HybridSearcher searcher;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean running;
  private Thread readerThread;
  private Thread indexerThread;

  private Archive(
      ArchiveConfig config, TextEmbedder embedder, boolean ownsEmbedder, boolean rebuild) {
    if (config.bootstrap() == null) {
      throw new IllegalArgumentException(ArchiveConfig.BOOTSTRAP.name() + " is required");
    }
    this.config = config;
    this.embedder = embedder;
    this.ownsEmbedder = ownsEmbedder;
    ArchiveLayout layout = new ArchiveLayout(config.dir());
    ThumbnailStore thumbnails = new ThumbnailStore(layout.thumbnails());
    this.index = ArchiveIndex.open(layout.index(), rebuild, embedder.modelId());
    if (rebuild) {
      try {
        // Commit the empty index before clearing thumbnails: the old documents are gone first.
        index.commit(CommitPoint.empty(embedder.modelId()));
      } catch (IOException e) {
        throw new ArchiveException("cannot reset archive " + config.dir(), e);
      }
      thumbnails.clear();
      LOG.info("Rebuilding the archive in {} from the topics", config.dir());
    }
    this.deadLetters = new DeadLetters(config.bootstrap(), config.clock());
    this.evidence =
        new EvidenceKeeper(
            new KeyframeFetcher(config.bootstrap(), config.keyframeTimeout()),
            new Thumbnailer(config.thumbnailEdge(), config.maxImagePixels(), 32 << 20),
            thumbnails);
    this.indexer = new BatchIndexer(index, embedder, evidence, thumbnails, deadLetters, config);
    this.searcher = new HybridSearcher(index.searchers(), embedder);
  }

  /** Opens the archive with a caller-owned embedder (shared with other users of the model). */
  public static Archive open(ArchiveConfig config, TextEmbedder embedder, boolean rebuild) {
    return new Archive(config, embedder, false, rebuild);
  }

  /** Opens the archive with its own all-MiniLM-L6-v2 embedder. */
  public static Archive open(ArchiveConfig config, boolean rebuild) {
    MiniLmEmbedder e = MiniLmEmbedder.load(config.embedThreads());
    try {
      return new Archive(config, e, true, rebuild);
    } catch (RuntimeException ex) {
      e.close();
      throw ex;
    }
  }

  /** Starts following the topics in the background until {@link #stop}. */
  public synchronized void start() {
    start(false);
  }

  /** Indexes up to the end offsets present now, commits, and returns. */
  public void runOnce() throws InterruptedException {
    start(true);
    finished.await();
    stop();
  }

  private void start(boolean once) {
    if (readerThread != null) {
      throw new IllegalStateException("archive already started");
    }
    running = true;
    SourceReader reader =
        new SourceReader(
            config.bootstrap(),
            new RecordMapper(config.maxEvidenceThumbnails()),
            deadLetters,
            config.retain(),
            config.clock());
    readerThread =
        new Thread(
            () ->
                guarded(() -> reader.run(index.committed().offsets(), queue, once, () -> running)),
            "archive-reader");
    indexerThread = new Thread(() -> guarded(this::indexLoop), "archive-indexer");
    readerThread.start();
    indexerThread.start();
  }

  private void indexLoop() throws Exception {
    try {
      while (true) {
        Batch b = queue.poll(200, TimeUnit.MILLISECONDS);
        if (!running) {
          break; // queued batches are dropped: their offsets are not committed, so nothing is lost
        }
        if (b == null) {
          indexer.idle();
          continue;
        }
        indexer.process(b);
        if (b.last()) {
          break;
        }
      }
      indexer.commit();
    } finally {
      finished.countDown();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private void guarded(Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      if (failure.compareAndSet(null, t)) {
        LOG.error("archive failed: {}", t.getMessage(), t);
      }
      running = false;
    }
  }

  /** Whether the background threads are still working (false after a failure or a finished run). */
  public boolean isRunning() {
    return running && finished.getCount() > 0;
  }

  /** What stopped the archive, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /** Documents indexed since this archive was opened. */
  public long indexed() {
    return indexer.indexed();
  }

  /**
   * Stops the threads; what was indexed is committed with its offsets.
   *
   * @throws ArchiveException if the archive had failed
   */
  public synchronized void stop() {
    running = false;
    join(readerThread);
    join(indexerThread);
    Throwable t = failure.get();
    if (t != null) {
      throw new ArchiveException("archive " + config.dir() + " failed: " + t.getMessage(), t);
    }
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<Hit> search(SearchRequest r) {
    return searcher.search(r);
  }

  /** The figures as of the last commit. */
  public ArchiveStatus status() {
    return ArchiveStatus.read(config.dir());
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      evidence.close();
      deadLetters.close();
      try {
        index.close();
      } catch (IOException e) {
        LOG.warn("closing archive index {}: {}", config.dir(), e.getMessage());
      }
      if (ownsEmbedder) {
        embedder.close();
      }
    }
  }
}
