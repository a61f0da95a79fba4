package io.streamsight.testkit.vlm;

import static io.streamsight.testkit.vlm.OnnxBuilder.BOOL;
import static io.streamsight.testkit.vlm.OnnxBuilder.attrs;

/** The decoder's additive attention mask [B,1,S,T]: causal over past + current, and padding. */
final class CausalMask {
  private CausalMask() {}

  static String build(OnnxBuilder b) {
    String shapeM = b.op("Shape", "attention_mask");
    String shapeE = b.op("Shape", "inputs_embeds");
    String total = b.op("Gather", attrs("axis", 0), shapeM, b.longs(new long[] {1}));
    String seq = b.op("Gather", attrs("axis", 0), shapeE, b.longs(new long[] {1}));
    String past = b.op("Sub", total, seq);
    String one = b.longs(new long[] {1});
    String kidx = b.op("Range", b.longs(new long[] {0}), total, one);
    String qidx = b.op("Range", past, total, one);
    String causal =
        b.op("LessOrEqual", b.op("Unsqueeze", kidx, b.ints(0)), b.op("Unsqueeze", qidx, b.ints(1)));
    String pad = b.op("Unsqueeze", b.op("Cast", attrs("to", BOOL), "attention_mask"), b.ints(1, 2));
    String allowed = b.op("And", causal, pad);
    return b.op("Where", allowed, b.scalar(0), b.scalar(-1e9f));
  }
}
