package io.streamsight.archive;

import static io.streamsight.archive.ArchiveRecords.SEC;
import static io.streamsight.archive.ArchiveRecords.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.archive.consume.RecordMapper;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.index.DocFields;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive process is killed (SIGKILL) between index commits while it indexes; the commit it left
 * must hold exactly the documents of the records before its offsets, and a restart must read
 * exactly the rest: every record indexed once, none missing, none read twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class ArchiveCrashIT {
  private static final int RECORDS = 3000;

  @TempDir Path dir;

  @Test
  void killedBetweenCommitsThenRestartedIndexesEveryRecordOnce(KafkaBroker broker)
      throws Exception {
    ArchiveRecords.createTopics(broker);
    String run = "c" + UUID.randomUUID().toString().substring(0, 8);
    try (ArchiveRecords.Writer w = new ArchiveRecords.Writer(broker)) {
      for (int i = 0; i < RECORDS; i++) {
        w.send(
            ArchiveRecords.summary(
                run + "-" + (i % 5),
                T0 + i * 10 * SEC,
                "Window " + i + ": a worker moves pallet number " + i + " across the dock.",
                List.of()));
        if (i % 100 == 99) {
          w.commit();
        }
      }
    }

    Process child = startChild(broker);
    CommitPoint atKill;
    int ourDocsAtKill;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (true) {
        assertTrue(
            child.isAlive(), "archive child died: " + Files.readString(dir.resolve("child.log")));
        assertTrue(System.nanoTime() < deadline, "archive child made no commit in time");
        int ours = committedDocs(run);
        if (ours >= 400) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
          child.waitFor();
          break;
        }
        Thread.onSpinWait();
      }
      atKill = lastCommit();
      ourDocsAtKill = committedDocs(run);
    } finally {
      child.destroyForcibly();
    }
    assertTrue(
        ourDocsAtKill < RECORDS,
        "the kill must land mid-stream (" + ourDocsAtKill + " of " + RECORDS + " committed)");

    // The commit is consistent: our documents are exactly our records before its offsets.
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    all.addAll(ArchiveRecords.readAll(broker, Topics.SUMMARIES.name()));
    all.addAll(ArchiveRecords.readAll(broker, Topics.ALERTS.name()));
    long oursBefore = all.stream().filter(r -> ours(r, run) && before(r, atKill)).count();
    assertEquals(oursBefore, ourDocsAtKill, "documents in the commit = records before its offsets");

    // The restart reads exactly the records at and after the committed offsets.
    RecordMapper mapper = new RecordMapper(8);
    long toRead = all.stream().filter(r -> !before(r, atKill) && indexable(mapper, r)).count();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.load(0);
        Archive archive =
            Archive.open(
                ArchiveRecords.config(broker, dir, "commit-every", "200"), embedder, false)) {
      archive.runOnce();
      assertEquals(toRead, archive.indexed(), "nothing read twice, nothing skipped");
    }
    assertEquals(RECORDS, committedDocs(run), "every record indexed exactly once");
    assertEquals(RECORDS, distinctSources(run), "one document per record");
  }

  private Process startChild(KafkaBroker broker) throws Exception {
    Path log = dir.resolve("child.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    String logConfig = System.getProperty("log4j2.configurationFile");
    if (logConfig != null) {
      cmd.add("-Dlog4j2.configurationFile=" + logConfig);
    }
    cmd.add(ArchiveChild.class.getName());
    cmd.add("bootstrap=" + broker.bootstrapServers());
    cmd.add("dir=" + dir);
    cmd.add("commit-every=200");
    cmd.add("commit-interval=1h");
    cmd.add("embed-threads=1");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static boolean ours(ConsumerRecord<byte[], byte[]> r, String run) {
    return new String(r.key(), StandardCharsets.UTF_8).startsWith(run + "-");
  }

  private static boolean before(ConsumerRecord<byte[], byte[]> r, CommitPoint c) {
    Long next = c.offsets().get(new TopicPartition(r.topic(), r.partition()));
    return next != null && r.offset() < next;
  }

  private static boolean indexable(RecordMapper mapper, ConsumerRecord<byte[], byte[]> r) {
    try {
      mapper.map(r);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private CommitPoint lastCommit() throws Exception {
    try (Directory d = FSDirectory.open(new ArchiveLayout(dir).index())) {
      return ArchiveIndex.readCommit(d);
    }
  }

  /** Our documents in the latest commit (0 while there is none). */
  private int committedDocs(String run) throws Exception {
    Path index = new ArchiveLayout(dir).index();
    if (!Files.isDirectory(index)) {
      return 0;
    }
    try (Directory d = FSDirectory.open(index)) {
      if (!DirectoryReader.indexExists(d)) {
        return 0;
      }
      List<IndexCommit> commits = DirectoryReader.listCommits(d);
      try (DirectoryReader r = DirectoryReader.open(commits.get(commits.size() - 1))) {
        return new IndexSearcher(r)
            .count(new WildcardQuery(new Term(DocFields.CAMERA, run + "-*")));
      }
    } catch (java.nio.file.NoSuchFileException racedWithACommit) {
      return 0; // the writer replaced the commit while we opened it; look again
    }
  }

  private int distinctSources(String run) throws Exception {
    try (Directory d = FSDirectory.open(new ArchiveLayout(dir).index());
        DirectoryReader r = DirectoryReader.open(d)) {
      IndexSearcher s = new IndexSearcher(r);
      Set<String> sources = new HashSet<>();
      for (ScoreDoc sd :
          s.search(new WildcardQuery(new Term(DocFields.CAMERA, run + "-*")), RECORDS * 2)
              .scoreDocs) {
        sources.add(s.storedFields().document(sd.doc).get(DocFields.SOURCE));
      }
      return sources.size();
    }
  }
}
