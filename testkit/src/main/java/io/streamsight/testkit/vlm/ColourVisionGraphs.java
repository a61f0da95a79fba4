package io.streamsight.testkit.vlm;

import static io.streamsight.testkit.vlm.OnnxBuilder.BOOL;
import static io.streamsight.testkit.vlm.OnnxBuilder.FLOAT;
import static io.streamsight.testkit.vlm.OnnxBuilder.INT64;
import static io.streamsight.testkit.vlm.OnnxBuilder.attrs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The fixture's vision encoder and token embedding. The encoder classifies every (unmasked) pixel
 * to the nearest palette colour and gives each tile's colour shares to all its image tokens, with
 * an "is image" flag the decoder relies on (an unmerged {@code <image>} embedding lacks it).
 */
final class ColourVisionGraphs {
  private ColourVisionGraphs() {}

  static void writeVision(Path file, int tile, int tokensPerTile) throws IOException {
    OnnxBuilder b = new OnnxBuilder("vision_encoder");
    int d = ColourDecoderGraph.D;
    b.input("pixel_values", FLOAT, "batch_size", "num_images", 3, "height", "width");
    b.input("pixel_attention_mask", BOOL, "batch_size", "num_images", "height", "width");
    long hw = (long) tile * tile;
    String x = b.op("Reshape", "pixel_values", b.ints(-1, 3, hw));
    x = b.op("Transpose", attrs("perm", new long[] {0, 2, 1}), x);
    // Nearest palette colour (in normalised space, where colour c in [0,1] is 2c-1):
    // argmax_k 2 x.p_k - |p_k|^2, sharpened by kappa before the softmax.
    float kappa = 20;
    float[] w = new float[3 * 6];
    float[] bias = new float[6];
    for (int k = 0; k < 6; k++) {
      float n2 = 0;
      for (int c = 0; c < 3; c++) {
        float p = 2 * FixtureVocabulary.PALETTE[k][c] - 1;
        w[c * 6 + k] = 2 * p * kappa;
        n2 += p * p;
      }
      bias[k] = -n2 * kappa;
    }
    String scores = b.op("Add", b.op("MatMul", x, b.floats(w, 3, 6)), b.floats(bias, 6));
    String onehot = b.op("Softmax", attrs("axis", -1), scores);
    String m =
        b.op(
            "Cast", attrs("to", FLOAT), b.op("Reshape", "pixel_attention_mask", b.ints(-1, hw, 1)));
    String counts = b.op("ReduceSum", attrs("keepdims", 0), b.op("Mul", onehot, m), b.ints(1));
    String pixels = b.op("ReduceSum", attrs("keepdims", 0), m, b.ints(1));
    String shares = b.op("Div", counts, b.op("Max", pixels, b.scalar(1)));
    float[] placement = new float[6 * d];
    for (int c = 0; c < 6; c++) {
      placement[c * d + ColourDecoderGraph.IMGCOL + c] = 1;
    }
    float[] flags = new float[d];
    flags[ColourDecoderGraph.IMG] = 1;
    flags[ColourDecoderGraph.CONST] = 1;
    String feats =
        b.op("Add", b.op("MatMul", shares, b.floats(placement, 6, d)), b.floats(flags, d));
    feats = b.op("Unsqueeze", feats, b.ints(1));
    b.opTo("image_features", "Expand", new Object[0], feats, b.ints(1, tokensPerTile, 1));
    b.output("image_features", FLOAT, "num_tiles", tokensPerTile, d);
    b.write(file);
  }

  static void writeEmbed(Path file, FixtureVocabulary vocab) throws IOException {
    OnnxBuilder b = new OnnxBuilder("embed_tokens");
    int d = ColourDecoderGraph.D;
    int v = vocab.size();
    float[] e = new float[v * d];
    vocab.vocab.forEach(
        (token, id) -> {
          int o = id * d;
          e[o + ColourDecoderGraph.CONST] = 1;
          if (token.equals(FixtureVocabulary.BOS)) {
            e[o + ColourDecoderGraph.BOS] = 1;
          } else if (token.equals(FixtureVocabulary.GLOBAL)) {
            e[o + ColourDecoderGraph.GIMG] = 1;
          } else if (token.startsWith("<row_")) {
            e[o + ColourDecoderGraph.ROW] = 1;
          } else if (token.equals("Assistant")) {
            e[o + ColourDecoderGraph.ASST] = 1;
          } else if (token.equalsIgnoreCase("yes") || token.equalsIgnoreCase("no")) {
            e[o + ColourDecoderGraph.YN] = 1;
          } else if (FixtureVocabulary.colourOf(token) >= 0) {
            e[o + ColourDecoderGraph.WORDCOL + FixtureVocabulary.colourOf(token)] = 1;
          }
        });
    b.input("input_ids", INT64, "batch_size", "sequence_length");
    b.opTo("inputs_embeds", "Gather", attrs("axis", 0), b.floats(e, v, d), "input_ids");
    b.output("inputs_embeds", FLOAT, "batch_size", "sequence_length", d);
    b.write(file);
  }
}
