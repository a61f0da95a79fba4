package io.streamsight.testkit.vlm;

import static io.streamsight.testkit.vlm.OnnxBuilder.BOOL;
import static io.streamsight.testkit.vlm.OnnxBuilder.FLOAT;
import static io.streamsight.testkit.vlm.OnnxBuilder.INT64;
import static io.streamsight.testkit.vlm.OnnxBuilder.attrs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a random-weight Idefics3 model with given {@link ModelDims} in the published layout: a
 * SigLIP-style vision tower (patch conv, pre-norm attention + MLP) with a pixel-shuffle connector,
 * and a Llama decoder (RMSNorm, RoPE, grouped-query attention over the KV cache, SwiGLU MLP, LM
 * head). Its outputs are noise; its cost is the real architecture's, for benchmarks.
 */
public final class RandomIdefics3Model {
  private final ModelDims d;
  private final SplittableRandom rnd;

  private RandomIdefics3Model(ModelDims d, long seed) {
    this.d = d;
    this.rnd = new SplittableRandom(seed);
  }

  public static Path write(Path dir, ModelDims dims, long seed) {
    try {
      RandomIdefics3Model m = new RandomIdefics3Model(dims, seed);
      FixtureVocabulary vocab = new FixtureVocabulary(dims.vocab());
      Files.createDirectories(dir.resolve("onnx"));
      m.vision(dir.resolve("onnx/vision_encoder.onnx"));
      m.embed(dir.resolve("onnx/embed_tokens.onnx"));
      m.decoder(dir.resolve("onnx/decoder_model_merged.onnx"));
      ModelConfigFiles.write(
          dir,
          vocab,
          new ModelConfigFiles.Sizes(
              dims.textLayers(),
              dims.heads(),
              dims.kvHeads(),
              dims.headDim(),
              dims.hidden(),
              dims.tile(),
              dims.longestEdge(),
              dims.tokensPerTile(),
              8192),
          "random weights with model sizes " + dims);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write random model to " + dir, e);
    }
  }

  private void vision(Path file) throws IOException {
    OnnxBuilder b = new OnnxBuilder("vision_encoder");
    b.externalData(file.resolveSibling("vision_encoder.onnx_data"));
    int t = d.tile();
    int hv = d.visionHidden();
    int side = t / d.patch();
    int patches = side * side;
    b.input("pixel_values", FLOAT, "batch_size", "num_images", 3, "height", "width");
    b.input("pixel_attention_mask", BOOL, "batch_size", "num_images", "height", "width");
    String x = b.op("Reshape", "pixel_values", b.ints(-1, 3, t, t));
    x =
        b.op(
            "Conv",
            attrs("strides", new long[] {d.patch(), d.patch()}),
            x,
            b.random(rnd, 0.05f, hv, 3, d.patch(), d.patch()),
            b.random(rnd, 0.02f, hv));
    x =
        b.op(
            "Transpose",
            attrs("perm", new long[] {0, 2, 1}),
            b.op("Reshape", x, b.ints(0, hv, patches)));
    x = b.op("Add", x, b.random(rnd, 0.02f, patches, hv));
    // Padding pixels would be masked per patch; here the mask only has to be consumed.
    String m =
        b.op(
            "ReduceMean",
            attrs("keepdims", 0),
            b.op("Cast", attrs("to", FLOAT), "pixel_attention_mask"));
    x = b.op("Add", x, b.op("Mul", m, b.scalar(0)));
    int hd = hv / d.visionHeads();
    for (int l = 0; l < d.visionLayers(); l++) {
      String h = layerNorm(b, x, hv);
      String q = heads(b, linear(b, h, hv, hv, true), d.visionHeads(), hd);
      String k = heads(b, linear(b, h, hv, hv, true), d.visionHeads(), hd);
      String v = heads(b, linear(b, h, hv, hv, true), d.visionHeads(), hd);
      String s =
          b.op(
              "Mul",
              b.op("MatMul", q, b.op("Transpose", attrs("perm", new long[] {0, 1, 3, 2}), k)),
              b.scalar((float) (1 / Math.sqrt(hd))));
      String o = b.op("MatMul", b.op("Softmax", attrs("axis", -1), s), v);
      o =
          b.op(
              "Reshape",
              b.op("Transpose", attrs("perm", new long[] {0, 2, 1, 3}), o),
              b.ints(0, 0, hv));
      x = b.op("Add", x, linear(b, o, hv, hv, true));
      h = layerNorm(b, x, hv);
      String up = linear(b, h, hv, d.visionIntermediate(), true);
      up = b.op("Mul", up, b.op("Sigmoid", b.op("Mul", up, b.scalar(1.702f)))); // gelu approx
      x = b.op("Add", x, linear(b, up, d.visionIntermediate(), hv, true));
    }
    x = layerNorm(b, x, hv);
    // Pixel shuffle: each (scale x scale) block of patches becomes one token of scale^2 * hidden.
    int s = d.scaleFactor();
    int g = side / s;
    x = b.op("Reshape", x, b.ints(-1, g, s, g, s, hv));
    x = b.op("Transpose", attrs("perm", new long[] {0, 1, 3, 2, 4, 5}), x);
    x = b.op("Reshape", x, b.ints(-1, (long) g * g, (long) s * s * hv));
    b.opTo(
        "image_features",
        "MatMul",
        new Object[0],
        x,
        b.random(rnd, 0.02f, (long) s * s * hv, d.hidden()));
    b.output("image_features", FLOAT, "num_tiles", d.tokensPerTile(), d.hidden());
    b.write(file);
  }

  private void embed(Path file) throws IOException {
    OnnxBuilder b = new OnnxBuilder("embed_tokens");
    b.externalData(file.resolveSibling("embed_tokens.onnx_data"));
    b.input("input_ids", INT64, "batch_size", "sequence_length");
    b.opTo(
        "inputs_embeds",
        "Gather",
        attrs("axis", 0),
        b.random(rnd, 0.5f, d.vocab(), d.hidden()),
        "input_ids");
    b.output("inputs_embeds", FLOAT, "batch_size", "sequence_length", d.hidden());
    b.write(file);
  }

  private void decoder(Path file) throws IOException {
    OnnxBuilder b = new OnnxBuilder("decoder_model_merged");
    b.externalData(file.resolveSibling("decoder_model_merged.onnx_data"));
    int hd = d.headDim();
    int h = d.heads();
    int kv = d.kvHeads();
    int group = h / kv;
    b.input("inputs_embeds", FLOAT, "batch_size", "sequence_length", d.hidden());
    b.input("attention_mask", INT64, "batch_size", "total_sequence_length");
    b.input("position_ids", INT64, "batch_size", "sequence_length");
    for (int l = 0; l < d.textLayers(); l++) {
      for (String kind : new String[] {"key", "value"}) {
        b.input(
            "past_key_values." + l + "." + kind,
            FLOAT,
            "batch_size",
            kv,
            "past_sequence_length",
            hd);
        b.output("present." + l + "." + kind, FLOAT, "batch_size", kv, "total_sequence_length", hd);
      }
    }
    String mask = CausalMask.build(b);
    // Grouped-query attention: query rows of the heads sharing a KV head are stacked, so the mask
    // is tiled once per group.
    String groupMask = b.op("Tile", mask, b.ints(1, 1, group, 1));
    // RoPE tables from position ids.
    float[] inv = new float[hd / 2];
    for (int i = 0; i < hd / 2; i++) {
      inv[i] = (float) Math.pow(100000.0, -2.0 * i / hd);
    }
    String pos = b.op("Unsqueeze", b.op("Cast", attrs("to", FLOAT), "position_ids"), b.ints(2));
    String freqs = b.op("Mul", pos, b.floats(inv, hd / 2));
    String emb = b.op("Concat", attrs("axis", -1), freqs, freqs);
    String cos = b.op("Unsqueeze", b.op("Cos", emb), b.ints(1));
    String sin = b.op("Unsqueeze", b.op("Sin", emb), b.ints(1));
    String x = "inputs_embeds";
    for (int l = 0; l < d.textLayers(); l++) {
      String n = rmsNorm(b, x);
      String q = rope(b, heads(b, linear(b, n, d.hidden(), h * hd, false), h, hd), cos, sin, hd);
      String k = rope(b, heads(b, linear(b, n, d.hidden(), kv * hd, false), kv, hd), cos, sin, hd);
      String v = heads(b, linear(b, n, d.hidden(), kv * hd, false), kv, hd);
      String kAll = b.op("Concat", attrs("axis", 2), "past_key_values." + l + ".key", k);
      String vAll = b.op("Concat", attrs("axis", 2), "past_key_values." + l + ".value", v);
      b.opTo("present." + l + ".key", "Identity", new Object[0], kAll);
      b.opTo("present." + l + ".value", "Identity", new Object[0], vAll);
      String qg = b.op("Reshape", q, b.ints(0, kv, -1, hd));
      String s =
          b.op("MatMul", qg, b.op("Transpose", attrs("perm", new long[] {0, 1, 3, 2}), kAll));
      s = b.op("Add", b.op("Mul", s, b.scalar((float) (1 / Math.sqrt(hd)))), groupMask);
      String o = b.op("MatMul", b.op("Softmax", attrs("axis", -1), s), vAll);
      o = b.op("Reshape", o, b.ints(0, h, -1, hd));
      o =
          b.op(
              "Reshape",
              b.op("Transpose", attrs("perm", new long[] {0, 2, 1, 3}), o),
              b.ints(0, 0, h * hd));
      x = b.op("Add", x, linear(b, o, h * hd, d.hidden(), false));
      n = rmsNorm(b, x);
      String gate = linear(b, n, d.hidden(), d.intermediate(), false);
      String up = linear(b, n, d.hidden(), d.intermediate(), false);
      String act = b.op("Mul", b.op("Mul", gate, b.op("Sigmoid", gate)), up);
      x = b.op("Add", x, linear(b, act, d.intermediate(), d.hidden(), false));
    }
    x = rmsNorm(b, x);
    b.opTo("logits", "MatMul", new Object[0], x, b.random(rnd, 0.05f, d.hidden(), d.vocab()));
    b.output("logits", FLOAT, "batch_size", "sequence_length", d.vocab());
    b.write(file);
  }

  private String linear(OnnxBuilder b, String x, int in, int out, boolean bias) throws IOException {
    float scale = (float) (1 / Math.sqrt(in));
    String y = b.op("MatMul", x, b.random(rnd, scale, in, out));
    return bias ? b.op("Add", y, b.random(rnd, 0.02f, out)) : y;
  }

  private static String heads(OnnxBuilder b, String x, int heads, int hd) {
    return b.op(
        "Transpose",
        attrs("perm", new long[] {0, 2, 1, 3}),
        b.op("Reshape", x, b.ints(0, 0, heads, hd)));
  }

  private static String rope(OnnxBuilder b, String x, String cos, String sin, int hd) {
    String x1 = b.op("Slice", x, b.ints(0), b.ints(hd / 2), b.ints(3));
    String x2 = b.op("Slice", x, b.ints(hd / 2), b.ints(hd), b.ints(3));
    String rot = b.op("Concat", attrs("axis", 3), b.op("Neg", x2), x1);
    return b.op("Add", b.op("Mul", x, cos), b.op("Mul", rot, sin));
  }

  private String layerNorm(OnnxBuilder b, String x, int n) throws IOException {
    float[] ones = new float[n];
    java.util.Arrays.fill(ones, 1);
    return b.op(
        "LayerNormalization",
        attrs("axis", -1, "epsilon", 1e-6f),
        x,
        b.floats(ones, n),
        b.random(rnd, 0.01f, n));
  }

  private static String rmsNorm(OnnxBuilder b, String x) {
    String ms =
        b.op("ReduceMean", attrs("axes", new long[] {-1}, "keepdims", 1), b.op("Mul", x, x));
    return b.op("Div", x, b.op("Sqrt", b.op("Add", ms, b.scalar(1e-5f))));
  }
}
