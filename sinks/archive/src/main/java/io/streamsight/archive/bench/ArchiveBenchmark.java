package io.streamsight.archive.bench;

import io.streamsight.archive.ArchiveConfig;
import io.streamsight.archive.consume.Batch;
import io.streamsight.archive.consume.BatchIndexer;
import io.streamsight.archive.consume.Pending;
import io.streamsight.archive.consume.RecordMapper;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.search.HybridSearcher;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.archive.thumbs.ThumbnailStore;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.embeddings.Vectors;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The archive benchmark: {@code ArchiveBenchmark DIR [SUMMARIES_FOR_RATE] [CORPUS_DOCS]}.
 *
 * <ol>
 *   <li>Indexing rate: Avro-encoded summaries through the archive's own path (decode and check,
 *       MiniLM embeddings in batches, Lucene upserts, commit), from memory, so Kafka fetches are
 *       not counted.
 *   <li>Search latency over a large corpus: embedding a million captions on 2 cores would take an
 *       hour, so the corpus takes its vectors from 2,000 distinct captions embedded for real, each
 *       copy nudged by Gaussian noise (σ 0.01 per component, cosine ~0.98 to its caption): real
 *       neighbourhoods, cheap to make. Queries are embedded by the real model inside each search
 *       and mixed: a third unfiltered, a third with a camera glob, a third with a camera glob and a
 *       24 h range.
 *   <li>Index size per million documents and the process's resident memory.
 * </ol>
 */
public final class ArchiveBenchmark {
  private static final long MIN = 60_000_000L;
  private static final long DAY_MICROS = 24 * 60 * MIN;
  private static final String[] CAMERAS = new String[40];

  static {
    for (int i = 0; i < CAMERAS.length; i++) {
      CAMERAS[i] = "site" + (i / 10) + "-cam-" + (i % 10);
    }
  }

  private ArchiveBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rateDocs = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int corpus = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    System.out.printf(
        "archive benchmark: %d cores, max heap %d MiB, %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.vm.version"));
    try (MiniLmEmbedder embedder = MiniLmEmbedder.load(0)) {
      indexingRate(embedder, dir.resolve("rate"), rateDocs);
      Path big = dir.resolve("corpus-" + corpus);
      if (!Files.exists(big.resolve("done"))) {
        buildCorpus(embedder, big, corpus);
        Files.writeString(big.resolve("done"), "");
      }
      latency(embedder, big);
    }
    System.out.printf("RSS %s%n", Memory.rss());
  }

  private static void indexingRate(MiniLmEmbedder embedder, Path dir, int n) throws Exception {
    List<String> captions = Captions.distinct(n, 1);
    AvroCodec<Summary> codec = AvroCodec.of(Summary.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(n);
    long t0 = System.currentTimeMillis() * 1000 - DAY_MICROS;
    for (int i = 0; i < n; i++) {
      String cam = CAMERAS[i % CAMERAS.length];
      Summary s =
          Summary.newBuilder()
              .setCameraId(cam)
              .setWindowStartMicros(t0 + i * 10_000_000L)
              .setWindowEndMicros(t0 + i * 10_000_000L + 10_000_000L)
              .setKeyframes(List.of())
              .setText(captions.get(i))
              .setModelId("bench")
              .setTimings(InferenceTimings.newBuilder().build())
              .build();
      records.add(
          new ConsumerRecord<>(Topics.SUMMARIES.name(), 0, i, cam.getBytes(), codec.encode(s)));
    }
    ArchiveConfig config = ArchiveConfig.parse(Map.of("dir", dir.toString()));
    RecordMapper mapper = new RecordMapper(8);
    try (ArchiveIndex index = ArchiveIndex.open(dir.resolve("index"), true, embedder.modelId())) {
      BatchIndexer indexer =
          new BatchIndexer(
              index, embedder, null, new ThumbnailStore(dir.resolve("thumbs")), null, config);
      // warm-up: the first batches pay for ONNX Runtime's first runs
      indexer.process(batch(records.subList(0, 200), mapper));
      long start = System.nanoTime();
      long cpu0 = Memory.processCpuNanos();
      for (int from = 200; from < n; from += 500) {
        indexer.process(batch(records.subList(from, Math.min(n, from + 500)), mapper));
      }
      indexer.commit();
      double s = (System.nanoTime() - start) / 1e9;
      double cpu = (Memory.processCpuNanos() - cpu0) / 1e9;
      int cores = Runtime.getRuntime().availableProcessors();
      // The CPU time is what the work costs whatever else runs on the machine; wall time depends
      // on the share of the cores this process got.
      System.out.printf(
          "indexing rate: %d summaries in %.1f s wall = %.0f summaries/s (decode + embed + index +"
              + " commit); %.2f CPU-ms per summary, i.e. %.0f summaries/s if the %d cores were"
              + " ours alone%n",
          n - 200, s, (n - 200) / s, cpu * 1000 / (n - 200), cores * (n - 200) / cpu, cores);
    }
  }

  private static Batch batch(List<ConsumerRecord<byte[], byte[]>> rs, RecordMapper mapper) {
    List<Pending> items = new ArrayList<>();
    rs.forEach(r -> items.add(mapper.map(r)));
    return new Batch(items, Map.of(), 0, 0, false);
  }

  private static void buildCorpus(MiniLmEmbedder embedder, Path dir, int n) throws Exception {
    List<String> captions = Captions.distinct(2000, 2);
    long e0 = System.nanoTime();
    float[][] base = embedder.embed(captions);
    System.out.printf(
        "corpus: embedded %d distinct captions in %.1f s%n",
        captions.size(), (System.nanoTime() - e0) / 1e9);
    Random r = new Random(3);
    long t0 = System.currentTimeMillis() * 1000 - 30 * DAY_MICROS;
    long start = System.nanoTime();
    try (ArchiveIndex index = ArchiveIndex.open(dir.resolve("index"), true, embedder.modelId())) {
      for (int i = 0; i < n; i++) {
        int c = r.nextInt(base.length);
        float[] v = Arrays.copyOf(base[c], base[c].length);
        for (int d = 0; d < v.length; d++) {
          v[d] += (float) (r.nextGaussian() * 0.01);
        }
        Vectors.normalise(v);
        String cam = CAMERAS[r.nextInt(CAMERAS.length)];
        long ws = t0 + (long) (r.nextDouble() * 30 * DAY_MICROS);
        index.upsert(
            new ArchiveDoc(
                ArchiveDoc.summaryId(cam, ws) + ":" + i,
                Kind.SUMMARY,
                cam,
                ws,
                ws + 10_000_000L,
                captions.get(c),
                null,
                null,
                null,
                List.of(),
                0,
                null),
            v);
        if (i % 100_000 == 99_999) {
          System.out.printf(
              "corpus: %d documents, %.0f s%n", i + 1, (System.nanoTime() - start) / 1e9);
        }
      }
      index.commit(CommitPoint.empty(embedder.modelId()));
      System.out.printf(
          "corpus: %d documents indexed and committed in %.0f s (%.0f docs/s, cheap vectors)%n",
          n, (System.nanoTime() - start) / 1e9, n / ((System.nanoTime() - start) / 1e9));
    }
  }

  private static void latency(MiniLmEmbedder embedder, Path dir) throws Exception {
    try (ArchiveIndex index = ArchiveIndex.open(dir.resolve("index"), false, embedder.modelId())) {
      index.refresh();
      int docs;
      var s = index.searchers().acquire();
      try {
        docs = s.getIndexReader().numDocs();
        System.out.printf(
            "corpus: %d documents in %d segments, index %.0f MiB on disk = %.0f MiB per million%n",
            docs,
            s.getIndexReader().leaves().size(),
            index.sizeOnDisk() / 1048576.0,
            index.sizeOnDisk() / 1048576.0 / (docs / 1e6));
      } finally {
        index.searchers().release(s);
      }
      HybridSearcher searcher = new HybridSearcher(index.searchers(), embedder);
      Random r = new Random(4);
      long now = System.currentTimeMillis() * 1000;
      // Warm-up in every mode: the first queries fault the index's pages into memory.
      for (int i = 0; i < 900; i++) {
        searcher.search(request(r, now).withMode(SearchRequest.Mode.values()[i % 3]));
      }
      int n = 2000;
      // The same query sequence for each mode, so the rows compare like with like.
      for (SearchRequest.Mode mode : SearchRequest.Mode.values()) {
        Random qr = new Random(5);
        long[] total = new long[n];
        for (int i = 0; i < n; i++) {
          SearchRequest q = request(qr, now).withMode(mode);
          long t = System.nanoTime();
          searcher.search(q);
          total[i] = System.nanoTime() - t;
        }
        Arrays.sort(total);
        System.out.printf(
            "search latency %-6s over %d documents, %d mixed queries, limit 10, one thread:"
                + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            mode, docs, n, total[n / 2] / 1e6, total[n * 99 / 100] / 1e6, total[n - 1] / 1e6);
      }
      long[] embed = new long[n];
      Random qr = new Random(5);
      for (int i = 0; i < n; i++) {
        SearchRequest q = request(qr, now);
        long e = System.nanoTime();
        embedder.embed(q.text());
        embed[i] = System.nanoTime() - e;
      }
      Arrays.sort(embed);
      System.out.printf(
          "query embedding alone (inside every HYBRID and VECTOR search): p50 %.1f ms, p99 %.1f ms%n",
          embed[n / 2] / 1e6, embed[n * 99 / 100] / 1e6);
    }
  }

  private static SearchRequest request(Random r, long now) {
    SearchRequest q = SearchRequest.text(Captions.QUERIES[r.nextInt(Captions.QUERIES.length)], 10);
    int kind = r.nextInt(3);
    if (kind >= 1) {
      q = q.withCamera("site" + r.nextInt(4) + "-cam-*");
    }
    if (kind == 2) {
      long until = now - (long) (r.nextDouble() * 29 * DAY_MICROS);
      q = q.withRange(until - DAY_MICROS, until);
    }
    return q;
  }
}
