package io.streamsight.archive.consume;

import io.streamsight.archive.ArchiveConfig;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.retention.RetentionPlanner;
import io.streamsight.archive.thumbs.EvidenceKeeper;
import io.streamsight.archive.thumbs.ThumbnailStore;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.search.IndexSearcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexing thread's work: for each batch, keep thumbnails, embed the texts in batches, add the
 * documents; commit every so many records or seconds, recording the offsets after the last indexed
 * batch in the same commit; enforce retention and the disk budget now and then. The only writer of
 * the index. Not thread-safe.
 */
public final class BatchIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(BatchIndexer.class);
  private static final int EMBED_BATCH = 64;

  private final ArchiveIndex index;
  private final TextEmbedder embedder;
  private final EvidenceKeeper evidence;
  private final ThumbnailStore thumbnails;
  private final DeadLetters deadLetters;
  private final RetentionPlanner retention;
  private final ArchiveConfig config;
  private final Map<TopicPartition, Long> offsets;
  private final Map<String, Long> counters;
  private final AtomicLong indexed = new AtomicLong();
  private long sinceCommit;
  private long lastCommitNanos = System.nanoTime();
  private long lastRetentionNanos;

  public BatchIndexer(
      ArchiveIndex index,
      TextEmbedder embedder,
      EvidenceKeeper evidence,
      ThumbnailStore thumbnails,
      DeadLetters deadLetters,
      ArchiveConfig config) {
    this.index = index;
    this.embedder = embedder;
    this.evidence = evidence;
    this.thumbnails = thumbnails;
    this.deadLetters = deadLetters;
    this.retention = new RetentionPlanner(config.retain(), config.maxDiskBytes());
    this.config = config;
    CommitPoint last = index.committed();
    this.offsets = new HashMap<>(last.offsets());
    this.counters = new HashMap<>(last.counters());
    this.lastRetentionNanos = System.nanoTime() - config.retentionInterval().toNanos();
  }

  /** Documents added since this indexer started. */
  public long indexed() {
    return indexed.get();
  }

  public void process(Batch b) throws IOException {
    List<ArchiveDoc> docs = new ArrayList<>(b.items().size());
    long missingBefore = evidence == null ? 0 : evidence.missing();
    long refusedBefore = evidence == null ? 0 : evidence.refused();
    for (Pending p : b.items()) {
      docs.add(evidence == null ? p.doc() : evidence.keep(p.doc(), p.thumbnailRefs()));
    }
    for (int from = 0; from < docs.size(); from += EMBED_BATCH) {
      List<ArchiveDoc> chunk = docs.subList(from, Math.min(docs.size(), from + EMBED_BATCH));
      float[][] vectors = embedder.embed(chunk.stream().map(ArchiveDoc::text).toList());
      for (int i = 0; i < chunk.size(); i++) {
        index.upsert(chunk.get(i), vectors[i]);
      }
    }
    indexed.addAndGet(docs.size());
    add(CommitPoint.DEAD_LETTERED, b.deadLettered());
    add(CommitPoint.EXPIRED_ON_ARRIVAL, b.expired());
    if (evidence != null) {
      add(CommitPoint.THUMBNAILS_MISSING, evidence.missing() - missingBefore);
      add(CommitPoint.THUMBNAILS_REFUSED, evidence.refused() - refusedBefore);
    }
    offsets.putAll(b.positions());
    sinceCommit += b.records();
    index.refresh();
    boolean due =
        sinceCommit >= config.commitEveryRecords()
            || System.nanoTime() - lastCommitNanos >= config.commitInterval().toNanos();
    if (b.last() || due) {
      commit();
    }
    if (b.last()
        || System.nanoTime() - lastRetentionNanos >= config.retentionInterval().toNanos()) {
      enforceRetention();
    }
  }

  /** Called when no batch came for a while: time-based commit and retention still happen. */
  public void idle() throws IOException {
    if (sinceCommit > 0
        && System.nanoTime() - lastCommitNanos >= config.commitInterval().toNanos()) {
      commit();
    }
    if (System.nanoTime() - lastRetentionNanos >= config.retentionInterval().toNanos()) {
      enforceRetention();
    }
  }

  /** Makes everything indexed so far durable, with the offsets after it. */
  public void commit() throws IOException {
    if (deadLetters != null) {
      deadLetters.flush(); // a record must never be both past the offsets and unreported
    }
    counters.put(CommitPoint.RETAIN_MILLIS, config.retain().toMillis());
    counters.put(CommitPoint.MAX_DISK_BYTES, config.maxDiskBytes());
    index.commit(new CommitPoint(offsets, embedder.modelId(), counters, config.clock().millis()));
    sinceCommit = 0;
    lastCommitNanos = System.nanoTime();
  }

  /** Deletes expired and over-budget windows (documents first, committed, then thumbnails). */
  public void enforceRetention() throws IOException {
    lastRetentionNanos = System.nanoTime();
    RetentionPlanner.Plan plan;
    IndexSearcher s = index.searchers().acquire();
    try {
      plan =
          retention.plan(
              s, config.clock().instant(), index.sizeOnDisk(), thumbnails.usage().bytes());
    } finally {
      index.searchers().release(s);
    }
    if (plan.isEmpty()) {
      return;
    }
    List<ArchiveDoc> victims = new ArrayList<>(plan.expired());
    victims.addAll(plan.overBudget());
    index.deleteIds(victims.stream().map(ArchiveDoc::id).toList());
    add(CommitPoint.DELETED_BY_RETENTION, plan.expired().size());
    add(CommitPoint.DELETED_BY_DISK_BUDGET, plan.overBudget().size());
    commit();
    if (!plan.overBudget().isEmpty()) {
      index.expungeDeletes(); // deleted documents only free disk once their segments are merged
      commit();
    }
    index.refresh();
    // Files go after the commit: a crash in between leaves stray files, never a document whose
    // thumbnail is missing.
    victims.forEach(d -> thumbnails.delete(d.thumbnails()));
    LOG.info(
        "retention: deleted {} expired and {} over-budget windows",
        plan.expired().size(),
        plan.overBudget().size());
  }

  private void add(String counter, long n) {
    if (n != 0) {
      counters.merge(counter, n, Long::sum);
    }
  }
}
