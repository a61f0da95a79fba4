package io.streamsight.archive;

import io.streamsight.embeddings.TextEmbedder;
import io.streamsight.embeddings.Vectors;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic bag-of-words embedder for fast tests of indexing, filters and retention (not of
 * retrieval quality): each word adds to one of 64 hashed dimensions, then L2 normalisation.
 */
public final class HashingEmbedder implements TextEmbedder {
  @Override
  public String modelId() {
    return "test-hashing-64";
  }

  @Override
  public int dimension() {
    return 64;
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      float[] v = new float[64];
      v[0] = 1e-3f; // never the zero vector
      for (String w : texts.get(i).toLowerCase(Locale.ROOT).split("\\W+")) {
        if (!w.isEmpty()) {
          v[Math.floorMod(w.hashCode(), 64)] += 1;
        }
      }
      Vectors.normalise(v);
      out[i] = v;
    }
    return out;
  }

  @Override
  public void close() {}
}
