package io.streamsight.archive.search;

import io.streamsight.archive.index.DocFields;
import java.io.IOException;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

/**
 * Brute-force vector search over the documents a filter accepts: the fallback when the HNSW search
 * returns fewer results than it could (the approximate graph can miss; a filter must not make
 * matching documents disappear). Costs one dot product per accepted document.
 */
final class ExactVectorSearch {
  private ExactVectorSearch() {}

  /** Global doc ids of the {@code k} accepted documents closest to {@code q}, best first. */
  static int[] search(IndexSearcher s, Query filter, float[] q, int k) throws IOException {
    Weight w = s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    PriorityQueue<float[]> top = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a[0], b[0]));
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      Scorer scorer = w.scorer(leaf);
      FloatVectorValues vectors = leaf.reader().getFloatVectorValues(DocFields.VECTOR);
      if (scorer == null || vectors == null) {
        continue;
      }
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (vectors.docID() < doc) {
          vectors.advance(doc);
        }
        if (vectors.docID() != doc) {
          continue;
        }
        float[] v = vectors.vectorValue();
        float dot = 0;
        for (int i = 0; i < v.length; i++) {
          dot += v[i] * q[i];
        }
        top.add(new float[] {dot, leaf.docBase + doc});
        if (top.size() > k) {
          top.poll();
        }
      }
    }
    int[] out = new int[top.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = (int) top.poll()[1];
    }
    return out;
  }
}
