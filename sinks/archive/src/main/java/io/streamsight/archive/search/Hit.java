package io.streamsight.archive.search;

import io.streamsight.archive.index.ArchiveDoc;

/**
 * A search result.
 *
 * @param score reciprocal-rank-fusion score (higher is better; comparable within one search only)
 * @param textRank 1-based rank in the BM25 list, 0 if BM25 did not return it
 * @param vectorRank 1-based rank in the vector list, 0 if the vector search did not return it
 */
public record Hit(ArchiveDoc doc, double score, int textRank, int vectorRank) {}
