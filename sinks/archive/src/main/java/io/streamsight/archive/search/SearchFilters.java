package io.streamsight.archive.search;

import io.streamsight.archive.index.DocFields;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;

/**
 * The filter part of a search as one Lucene query: it becomes the FILTER clause of the BM25 query
 * and the filter of the KNN query, so both retrievers only ever consider matching documents.
 */
public final class SearchFilters {
  private SearchFilters() {}

  /**
   * @param excludeId a document id to leave out (the reference of a similar-to search), or null
   */
  public static Query of(SearchRequest r, String excludeId) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new MatchAllDocsQuery(), Occur.FILTER);
    if (r.cameraGlob() != null && !r.cameraGlob().equals("*")) {
      // The camera glob grammar (id characters, * and ?) is a subset of Lucene's wildcard syntax,
      // and ids cannot contain its escape character, so this matches exactly CameraGlob.matches.
      b.add(new WildcardQuery(new Term(DocFields.CAMERA, r.cameraGlob())), Occur.FILTER);
    }
    if (r.sinceMicros() != null || r.untilMicros() != null) {
      long lo = r.sinceMicros() == null ? Long.MIN_VALUE : r.sinceMicros();
      long hi = r.untilMicros() == null ? Long.MAX_VALUE : r.untilMicros() - 1;
      b.add(LongPoint.newRangeQuery(DocFields.START, lo, hi), Occur.FILTER);
    }
    if (r.kind() != null) {
      b.add(new TermQuery(new Term(DocFields.KIND, r.kind().label())), Occur.FILTER);
    }
    if (excludeId != null) {
      b.add(new TermQuery(new Term(DocFields.ID, excludeId)), Occur.MUST_NOT);
    }
    return b.build();
  }
}
