package io.streamsight.archive.search;

import io.streamsight.archive.ArchiveException;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveIndex;
import io.streamsight.archive.index.DocFields;
import io.streamsight.archive.search.SearchRequest.Mode;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * BM25 over the text plus HNSW vector search over MiniLM embeddings, fused by reciprocal rank. The
 * request's filters go into both queries (a FILTER clause for BM25, the pre-filter of the KNN
 * query), so a filtered search ranks exactly the matching documents: it never trims a global top-k.
 */
public final class HybridSearcher {

  // Users type plain words and "quoted phrases"; a stray + - | ( ) * ~ is just text, so a search
  // never fails on syntax.
  private static final int PARSER_FLAGS =
      SimpleQueryParser.PHRASE_OPERATOR | SimpleQueryParser.WHITESPACE_OPERATOR;

  static final int MIN_KNN = 100;

  private final SearcherManager searchers;
  private final TextEmbedder embedder;
  private final FusionSettings fusion;

  public HybridSearcher(SearcherManager searchers, TextEmbedder embedder) {
    this(searchers, embedder, FusionSettings.DEFAULT);
  }

  public HybridSearcher(SearcherManager searchers, TextEmbedder embedder, FusionSettings fusion) {
    this.searchers = searchers;
    this.embedder = embedder;
    this.fusion = fusion;
  }

  public List<Hit> search(SearchRequest r) {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return search(s, r);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new ArchiveException("search failed: " + e.getMessage(), e);
    }
  }

  private List<Hit> search(IndexSearcher s, SearchRequest r) throws IOException {
    String text = r.text();
    String exclude = null;
    if (r.similarTo() != null) {
      ArchiveDoc ref = find(s, r.similarTo());
      if (ref == null) {
        throw new IllegalArgumentException("no archived summary or alert with id " + r.similarTo());
      }
      text = ref.text();
      exclude = ref.id();
    }
    Query filter = SearchFilters.of(r, exclude);
    // A retriever alone returns its own top `limit`; in a fusion each contributes its top `depth`.
    int depth = r.mode() == Mode.HYBRID ? Math.max(fusion.depth(), r.limit()) : r.limit();
    double share = r.mode() == Mode.HYBRID ? fusion.minShareOfTerms() : 0;
    List<int[]> lists = new ArrayList<>();
    if (r.mode() != Mode.VECTOR) {
      Query q = textQuery(text, filter, share);
      // Text made only of stop words has no BM25 query: that list is empty, not "everything".
      lists.add(q == null ? new int[0] : docs(s.search(q, depth), depth));
    }
    if (r.mode() != Mode.TEXT) {
      float[] q = embedder.embed(text);
      // HNSW explores about k candidates: asking for fewer than MIN_KNN costs recall, so ask for
      // at least that many and keep the top `depth`.
      int k = Math.max(depth, MIN_KNN);
      int[] found = docs(s.search(new KnnFloatVectorQuery(DocFields.VECTOR, q, k, filter), k), k);
      if (found.length < k && found.length < s.count(filter)) {
        // The graph search came back short although more documents pass the filter.
        found = ExactVectorSearch.search(s, filter, q, k);
      }
      lists.add(found.length > depth ? java.util.Arrays.copyOf(found, depth) : found);
    }
    List<Hit> hits = new ArrayList<>();
    double[] weights =
        lists.size() == 2 ? new double[] {fusion.textWeight(), 1.0} : new double[] {1};
    for (ReciprocalRankFusion.Fused f :
        ReciprocalRankFusion.fuse(lists, weights, fusion.rankConstant(), r.limit())) {
      ArchiveDoc d = DocFields.fromDocument(s.storedFields().document(f.key()));
      int textRank = r.mode() == Mode.VECTOR ? 0 : f.ranks()[0];
      int vectorRank = r.mode() == Mode.TEXT ? 0 : f.ranks()[lists.size() - 1];
      hits.add(new Hit(d, f.score(), textRank, vectorRank));
    }
    return hits;
  }

  private static Query textQuery(String text, Query filter, double share) {
    SimpleQueryParser parser =
        new SimpleQueryParser(
            ArchiveIndex.analyzer(), java.util.Map.of(DocFields.TEXT, 1f), PARSER_FLAGS);
    Query words = requireShareOfTerms(parser.parse(text), share);
    if (words == null) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(words, Occur.MUST);
    b.add(filter, Occur.FILTER);
    return b.build();
  }

  /** Requires a share of the query's terms (a plain OR of terms only; phrases are left alone). */
  static Query requireShareOfTerms(Query q, double share) {
    if (share <= 0 || !(q instanceof BooleanQuery b) || b.getMinimumNumberShouldMatch() > 0) {
      return q;
    }
    long should = b.clauses().stream().filter(c -> c.getOccur() == Occur.SHOULD).count();
    if (should < 2 || should != b.clauses().size()) {
      return q;
    }
    BooleanQuery.Builder out = new BooleanQuery.Builder();
    b.clauses().forEach(out::add);
    out.setMinimumNumberShouldMatch((int) Math.ceil(should * share));
    return out.build();
  }

  private static ArchiveDoc find(IndexSearcher s, String id) throws IOException {
    TopDocs td = s.search(new TermQuery(new Term(DocFields.ID, id)), 1);
    return td.scoreDocs.length == 0
        ? null
        : DocFields.fromDocument(s.storedFields().document(td.scoreDocs[0].doc));
  }

  private static int[] docs(TopDocs td, int max) {
    int n = Math.min(max, td.scoreDocs.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = td.scoreDocs[i].doc;
    }
    return out;
  }
}
