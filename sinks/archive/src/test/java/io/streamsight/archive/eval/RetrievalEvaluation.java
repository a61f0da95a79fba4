package io.streamsight.archive.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.CommitPoint;
import io.streamsight.archive.search.FusionSettings;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.HybridSearcher;
import io.streamsight.archive.search.SearchRequest;
import io.streamsight.archive.search.SearchRequest.Mode;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labelled retrieval evaluation (src/test/resources/eval, written by
 * eval/generate_eval_set.py): indexes the day of summaries, runs every query with BM25 alone,
 * vectors alone and hybrid, and reports hit@5 and MRR (first relevant rank, over the top 10).
 */
public final class RetrievalEvaluation {
  static final int DEPTH = 10;

  /** One query's outcome per mode: 1-based rank of the first relevant hit, 0 if none in depth. */
  public record QueryResult(String id, String text, Map<Mode, Integer> firstRelevant) {}

  /** Hybrid hit@5 and MRR under other fusion settings (the sensitivity of the defaults). */
  public record Variant(FusionSettings settings, double hitAt5, double mrr) {}

  /** Aggregates. */
  public record Report(List<QueryResult> queries, int documents, List<Variant> sweep) {
    public double hitAt(Mode m, int k) {
      return queries.stream()
              .filter(q -> q.firstRelevant().get(m) > 0 && q.firstRelevant().get(m) <= k)
              .count()
          / (double) queries.size();
    }

    public double mrr(Mode m) {
      return queries.stream()
              .mapToDouble(q -> q.firstRelevant().get(m) == 0 ? 0 : 1.0 / q.firstRelevant().get(m))
              .sum()
          / queries.size();
    }

    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              "%d summaries, %d queries%n%n| retrieval | hit@1 | hit@5 | MRR@%d |%n|---|---|---|---|%n",
              documents, queries.size(), DEPTH));
      for (Mode m : List.of(Mode.TEXT, Mode.VECTOR, Mode.HYBRID)) {
        sb.append(
            String.format(
                "| %s | %.2f | %.2f | %.3f |%n", label(m), hitAt(m, 1), hitAt(m, 5), mrr(m)));
      }
      sb.append(String.format("%n| query | BM25 | dense | hybrid |%n|---|---|---|---|%n"));
      for (QueryResult q : queries) {
        sb.append(
            String.format(
                "| %s %s | %s | %s | %s |%n",
                q.id(),
                q.text(),
                rank(q.firstRelevant().get(Mode.TEXT)),
                rank(q.firstRelevant().get(Mode.VECTOR)),
                rank(q.firstRelevant().get(Mode.HYBRID))));
      }
      sb.append(
          String.format(
              "%nHybrid under other fusion settings (defaults: %s)%n%n"
                  + "| RRF k | depth per list | BM25 weight | BM25 min share of terms | hit@5 | MRR@%d |%n"
                  + "|---|---|---|---|---|---|%n",
              FusionSettings.DEFAULT, DEPTH));
      for (Variant v : sweep) {
        sb.append(
            String.format(
                "| %d | %d | %.2f | %.2f | %.2f | %.3f |%n",
                v.settings().rankConstant(),
                v.settings().depth(),
                v.settings().textWeight(),
                v.settings().minShareOfTerms(),
                v.hitAt5(),
                v.mrr()));
      }
      return sb.toString();
    }

    private static String label(Mode m) {
      return switch (m) {
        case TEXT -> "BM25 alone";
        case VECTOR -> "dense (MiniLM) alone";
        case HYBRID -> "hybrid (RRF)";
      };
    }

    private static String rank(int r) {
      return r == 0 ? "-" : Integer.toString(r);
    }
  }

  private RetrievalEvaluation() {}

  public static Report run(TextEmbedder embedder, Path indexDir, List<FusionSettings> sweep)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> docs = new ArrayList<>();
    try (InputStream in = resource("/eval/summaries.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          docs.add(json.readTree(line));
        }
      }
    }
    JsonNode queries;
    try (InputStream in = resource("/eval/queries.json")) {
      queries = json.readTree(in);
    }
    try (ArchiveIndex index = ArchiveIndex.open(indexDir, true, embedder.modelId())) {
      List<ArchiveDoc> batch = new ArrayList<>();
      for (JsonNode d : docs) {
        long start =
            ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(d.get("windowStart").asText()));
        batch.add(
            new ArchiveDoc(
                d.get("id").asText(),
                Kind.SUMMARY,
                d.get("cameraId").asText(),
                start,
                start + 10_000_000L,
                d.get("text").asText(),
                null,
                null,
                null,
                List.of(),
                0,
                null));
      }
      float[][] vectors = embedder.embed(batch.stream().map(ArchiveDoc::text).toList());
      for (int i = 0; i < batch.size(); i++) {
        index.upsert(batch.get(i), vectors[i]);
      }
      index.commit(CommitPoint.empty(embedder.modelId()));
      index.refresh();
      HybridSearcher searcher = new HybridSearcher(index.searchers(), embedder);
      List<QueryResult> results = new ArrayList<>();
      for (JsonNode q : queries) {
        Map<Mode, Integer> first = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
          first.put(m, firstRelevant(searcher, q, m));
        }
        results.add(new QueryResult(q.get("id").asText(), q.get("text").asText(), first));
      }
      List<Variant> variants = new ArrayList<>();
      for (FusionSettings f : sweep) {
        HybridSearcher h = new HybridSearcher(index.searchers(), embedder, f);
        double hits = 0;
        double rr = 0;
        for (JsonNode q : queries) {
          int rank = firstRelevant(h, q, Mode.HYBRID);
          hits += rank > 0 && rank <= 5 ? 1 : 0;
          rr += rank == 0 ? 0 : 1.0 / rank;
        }
        variants.add(new Variant(f, hits / queries.size(), rr / queries.size()));
      }
      return new Report(results, docs.size(), variants);
    }
  }

  private static int firstRelevant(HybridSearcher searcher, JsonNode q, Mode m) {
    Set<String> relevant = new HashSet<>();
    q.get("relevant").forEach(r -> relevant.add(r.asText()));
    List<Hit> hits = searcher.search(SearchRequest.text(q.get("text").asText(), DEPTH).withMode(m));
    for (int i = 0; i < hits.size(); i++) {
      if (relevant.contains(hits.get(i).doc().id())) {
        return i + 1;
      }
    }
    return 0;
  }

  private static InputStream resource(String name) {
    InputStream in = RetrievalEvaluation.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }
}
