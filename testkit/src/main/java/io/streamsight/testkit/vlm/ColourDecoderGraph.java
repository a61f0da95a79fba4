package io.streamsight.testkit.vlm;

import static io.streamsight.testkit.vlm.OnnxBuilder.FLOAT;
import static io.streamsight.testkit.vlm.OnnxBuilder.INT64;
import static io.streamsight.testkit.vlm.OnnxBuilder.attrs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixture's decoder: three attention layers with hand-set weights over a residual stream of
 * named features, with a real KV cache ({@code past_key_values.* -> present.*}), causal and padding
 * masks, and position ids. What it computes:
 *
 * <ul>
 *   <li>layer 0 counts global-image markers and "Assistant" tokens up to each position (uniform
 *       attention times position+1, so wrong position ids give wrong counts) and, by attending to
 *       the most recent marker, tells global-image tokens from local-tile tokens;
 *   <li>layer 1 counts colour words and Yes/No generated after "Assistant", averages the colour
 *       shares of all global images, and averages the colour words of the question;
 *   <li>layer 2 points at the global image whose index is one more than the colours named so far.
 * </ul>
 *
 * The logits then name the pointed image's dominant colour, end after the last image, or (when the
 * question names a colour) answer Yes if that colour covers more than half of the images.
 */
final class ColourDecoderGraph {
  static final int D = 64;
  static final int HEADS = 4;
  static final int HEAD_DIM = 16;
  static final int LAYERS = 3;

  // Residual stream layout.
  static final int BOS = 0;
  static final int GIMG = 1;
  static final int ROW = 2;
  static final int IMG = 3;
  static final int ASST = 4;
  static final int YN = 5;
  static final int IMGCOL = 6; // 6 dims
  static final int WORDCOL = 12; // 6 dims
  static final int CONST = 18;
  static final int POSMARK = 19;
  static final int G = 20;
  static final int A = 21;
  static final int LASTG = 22;
  static final int POS = 23;
  static final int GATE = 24;
  static final int COLGEN = 26;
  static final int YNGEN = 27;
  static final int QGATE = 28;
  static final int GG = 29;
  static final int GGG = 30;
  static final int CGEN = 31;
  static final int YNCNT = 32;
  static final int SHARE = 33; // 6 dims
  static final int QCOL = 39; // 6 dims
  static final int PTR = 45; // 6 dims

  private static final float NEG = -1e6f;

  private final OnnxBuilder b = new OnnxBuilder("decoder_model_merged");
  private final FixtureVocabulary vocab;
  private String mask;
  private String posPlusOne;

  ColourDecoderGraph(FixtureVocabulary vocab) {
    this.vocab = vocab;
  }

  void write(Path file) throws IOException {
    b.input("inputs_embeds", FLOAT, "batch_size", "sequence_length", D);
    b.input("attention_mask", INT64, "batch_size", "total_sequence_length");
    b.input("position_ids", INT64, "batch_size", "sequence_length");
    for (int l = 0; l < LAYERS; l++) {
      b.input(
          "past_key_values." + l + ".key",
          FLOAT,
          "batch_size",
          HEADS,
          "past_sequence_length",
          HEAD_DIM);
      b.input(
          "past_key_values." + l + ".value",
          FLOAT,
          "batch_size",
          HEADS,
          "past_sequence_length",
          HEAD_DIM);
    }
    String pos = b.op("Unsqueeze", b.op("Cast", attrs("to", FLOAT), "position_ids"), b.ints(2));
    posPlusOne = b.op("Add", pos, b.scalar(1));
    mask = buildMask();
    String h = b.op("Add", "inputs_embeds", b.op("Mul", pos, onehot(POS)));
    h = place(h, b.op("Mul", pos, b.op("Add", sel(h, GIMG), sel(h, ROW))), POSMARK);

    // Layer 0: counts (head 0), most recent marker (head 1).
    float[][] q = new float[D + 1][HEADS * HEAD_DIM];
    float[][] k = new float[D + 1][HEADS * HEAD_DIM];
    float[][] v = new float[D + 1][HEADS * HEAD_DIM];
    v[GIMG][0] = 1;
    v[ASST][1] = 1;
    k[POSMARK][HEAD_DIM] = 1;
    k[CONST][HEAD_DIM + 1] = 1;
    k[GIMG][HEAD_DIM + 1] = -1;
    k[ROW][HEAD_DIM + 1] = -1;
    q[D][HEAD_DIM] = 4; // recency: score grows with the marker's position
    q[D][HEAD_DIM + 1] = NEG;
    v[GIMG][HEAD_DIM] = 1;
    String o = attention(0, h, q, k, v);
    String g = b.op("Mul", head(o, 0, 0), posPlusOne);
    String a = b.op("Mul", head(o, 0, 1), posPlusOne);
    String lastG = head(o, 1, 0);
    h = place(h, g, G);
    h = place(h, a, A);
    h = place(h, lastG, LASTG);
    String gate = b.op("Mul", sel(h, IMG), lastG);
    String afterA = b.op("Clip", a, b.scalar(0), b.scalar(1));
    String colw = b.op("MatMul", h, b.floats(column(WORDCOL, 6), D, 1));
    h = place(h, gate, GATE);
    h = place(h, b.op("Mul", colw, afterA), COLGEN);
    h = place(h, b.op("Mul", sel(h, YN), afterA), YNGEN);
    h = place(h, b.op("Mul", colw, b.op("Sub", b.scalar(1), afterA)), QGATE);
    String gg = b.op("Mul", g, gate);
    h = place(h, gg, GG);
    h = place(h, b.op("Mul", g, gg), GGG);

    // Layer 1: generated counts (head 0), image colour shares (head 1), question colour (head 2).
    q = new float[D + 1][HEADS * HEAD_DIM];
    k = new float[D + 1][HEADS * HEAD_DIM];
    v = new float[D + 1][HEADS * HEAD_DIM];
    v[COLGEN][0] = 1;
    v[YNGEN][1] = 1;
    gatedAverage(q, k, v, 1, GATE, IMGCOL);
    gatedAverage(q, k, v, 2, QGATE, WORDCOL);
    o = attention(1, h, q, k, v);
    h = place(h, b.op("Mul", head(o, 0, 0), posPlusOne), CGEN);
    h = place(h, b.op("Mul", head(o, 0, 1), posPlusOne), YNCNT);
    for (int c = 0; c < 6; c++) {
      h = place(h, head(o, 1, c), SHARE + c);
      h = place(h, head(o, 2, c), QCOL + c);
    }

    // Layer 2: pointer to global image number (colours named + 1): score = beta*(t^2 - (G-t)^2).
    float beta = 20;
    q = new float[D + 1][HEADS * HEAD_DIM];
    k = new float[D + 1][HEADS * HEAD_DIM];
    v = new float[D + 1][HEADS * HEAD_DIM];
    q[CGEN][0] = 2 * beta;
    q[D][0] = 2 * beta;
    q[D][1] = -beta;
    q[D][2] = NEG;
    k[GG][0] = 1;
    k[GGG][1] = 1;
    k[CONST][2] = 1;
    k[GATE][2] = -1;
    for (int c = 0; c < 6; c++) {
      v[IMGCOL + c][c] = 1;
    }
    o = attention(2, h, q, k, v);
    for (int c = 0; c < 6; c++) {
      h = place(h, head(o, 0, c), PTR + c);
    }
    logits(h);
    b.write(file);
  }

  /** Head {@code hd} averages {@code value} dims over tokens with {@code gate}=1 (BOS as sink). */
  private static void gatedAverage(
      float[][] q, float[][] k, float[][] v, int hd, int gate, int value) {
    int o = hd * HEAD_DIM;
    k[gate][o] = 1;
    k[CONST][o + 1] = 1;
    k[gate][o + 1] = -1;
    k[BOS][o + 1] = -1;
    q[D][o] = 30;
    q[D][o + 1] = NEG;
    for (int c = 0; c < 6; c++) {
      v[value + c][o + c] = 1;
    }
  }

  private void logits(String h) {
    String one = b.scalar(1);
    String done =
        b.op(
            "Sigmoid",
            b.op(
                "Mul",
                b.scalar(20),
                b.op("Add", b.op("Sub", sel(h, CGEN), sel(h, G)), b.scalar(0.5f))));
    String ynDone =
        b.op("Sigmoid", b.op("Mul", b.scalar(20), b.op("Sub", sel(h, YNCNT), b.scalar(0.5f))));
    String qsum = b.op("MatMul", h, b.floats(column(QCOL, 6), D, 1));
    String mode = b.op("Clip", qsum, b.scalar(0), one);
    String shares = slice(h, SHARE, 6);
    String qcol = slice(h, QCOL, 6);
    String dot = b.op("ReduceSum", attrs("keepdims", 1), b.op("Mul", shares, qcol), b.ints(2));
    String notMode = b.op("Sub", one, mode);
    String colours =
        b.op(
            "Mul",
            b.op("Mul", slice(h, PTR, 6), b.scalar(10)),
            b.op("Mul", b.op("Sub", one, done), notMode));
    String eos =
        b.op(
            "Mul",
            b.scalar(10),
            b.op("Add", b.op("Mul", notMode, done), b.op("Mul", mode, ynDone)));
    String answering = b.op("Mul", mode, b.op("Sub", one, ynDone));
    String margin = b.op("Mul", b.scalar(8), b.op("Sub", b.op("Mul", b.scalar(2), dot), one));
    String yes = b.op("Mul", answering, b.op("Add", b.scalar(10), margin));
    String no = b.op("Mul", answering, b.op("Sub", b.scalar(10), margin));
    String feats = b.op("Concat", attrs("axis", -1), colours, eos, yes, no);
    int vsize = vocab.size();
    float[] w = new float[9 * vsize];
    for (int c = 0; c < 6; c++) {
      w[c * vsize + vocab.id(FixtureVocabulary.COLOURS.get(c))] = 1;
    }
    w[6 * vsize + vocab.id(FixtureVocabulary.EOU)] = 1;
    w[7 * vsize + vocab.id("Yes")] = 1;
    w[8 * vsize + vocab.id("No")] = 1;
    b.opTo("logits", "MatMul", new Object[0], feats, b.floats(w, 9, vsize));
    b.output("logits", FLOAT, "batch_size", "sequence_length", vsize);
  }

  private String buildMask() {
    return CausalMask.build(b);
  }

  /** One attention layer; weights are [D+1][H*hd] with row D the bias. Returns [B,S,H*hd]. */
  private String attention(int layer, String h, float[][] q, float[][] k, float[][] v) {
    String qh = heads(project(h, q));
    String kh = heads(project(h, k));
    String vh = heads(project(h, v));
    String kAll = b.op("Concat", attrs("axis", 2), "past_key_values." + layer + ".key", kh);
    String vAll = b.op("Concat", attrs("axis", 2), "past_key_values." + layer + ".value", vh);
    b.opTo("present." + layer + ".key", "Identity", new Object[0], kAll);
    b.opTo("present." + layer + ".value", "Identity", new Object[0], vAll);
    for (String kind : List.of("key", "value")) {
      b.output(
          "present." + layer + "." + kind,
          FLOAT,
          "batch_size",
          HEADS,
          "total_sequence_length",
          HEAD_DIM);
    }
    String scores =
        b.op("MatMul", qh, b.op("Transpose", attrs("perm", new long[] {0, 1, 3, 2}), kAll));
    String probs = b.op("Softmax", attrs("axis", -1), b.op("Add", scores, mask));
    String out = b.op("MatMul", probs, vAll);
    out = b.op("Transpose", attrs("perm", new long[] {0, 2, 1, 3}), out);
    return b.op("Reshape", out, b.ints(0, 0, HEADS * HEAD_DIM));
  }

  private String project(String h, float[][] w) {
    int n = HEADS * HEAD_DIM;
    float[] weights = new float[D * n];
    float[] bias = new float[n];
    for (int i = 0; i < D; i++) {
      System.arraycopy(w[i], 0, weights, i * n, n);
    }
    System.arraycopy(w[D], 0, bias, 0, n);
    return b.op("Add", b.op("MatMul", h, b.floats(weights, D, n)), b.floats(bias, n));
  }

  private String heads(String x) {
    String r = b.op("Reshape", x, b.ints(0, 0, HEADS, HEAD_DIM));
    return b.op("Transpose", attrs("perm", new long[] {0, 2, 1, 3}), r);
  }

  private String head(String o, int head, int comp) {
    return sel(o, head * HEAD_DIM + comp);
  }

  /** Feature {@code i} as [B,S,1]. */
  private String sel(String h, int i) {
    return b.op("Gather", attrs("axis", 2), h, b.longs(new long[] {i}, 1));
  }

  private String slice(String h, int from, int n) {
    return b.op("Slice", h, b.ints(from), b.ints(from + n), b.ints(2));
  }

  /** h + x * e_i, writing [B,S,1] feature x into (zero) dim i. */
  private String place(String h, String x, int i) {
    return b.op("Add", h, b.op("Mul", x, onehot(i)));
  }

  private String onehot(int i) {
    float[] e = new float[D];
    e[i] = 1;
    return b.floats(e, D);
  }

  private static float[] column(int from, int n) {
    float[] c = new float[D];
    for (int i = from; i < from + n; i++) {
      c[i] = 1;
    }
    return c;
  }
}
