package io.streamsight.archive.search;

/**
 * How the two retrievers are combined.
 *
 * @param depth how many results of each retriever enter the fusion
 * @param textWeight weight of the BM25 list in the reciprocal-rank sum (the vector list has 1)
 * @param minShareOfTerms share of the query's terms a document must contain to enter the BM25 list
 *     (0 = any one term)
 * @param rankConstant RRF's k: each list adds {@code weight / (k + rank)}
 */
public record FusionSettings(
    int depth, double textWeight, double minShareOfTerms, int rankConstant) {
  /**
   * The defaults, chosen on the evaluation set (docs/benchmarks/archive.md has the whole sweep, and
   * says they were tuned on the set they are measured on). A small k (5 rather than the usual 60)
   * lets each list's top ranks decide: with k = 60 a caption ranked 2nd by the vectors that also
   * shares a word with the query outranks the vectors' 1st, and the distractors that share words
   * are exactly such captions. BM25 at half weight: users describe events in their words, the
   * captions use the model's, so the lexical vote is the weaker one.
   */
  public static final FusionSettings DEFAULT = new FusionSettings(20, 0.5, 0.0, 5);

  public FusionSettings {
    if (depth < 1 || depth > 10_000) {
      throw new IllegalArgumentException("fusion depth must be 1 to 10000, was " + depth);
    }
    if (rankConstant < 1) {
      throw new IllegalArgumentException("rank constant must be >= 1, was " + rankConstant);
    }
    if (textWeight < 0 || minShareOfTerms < 0 || minShareOfTerms > 1) {
      throw new IllegalArgumentException("text weight >= 0 and term share in [0, 1]");
    }
  }
}
