package io.streamsight.vlm.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The three sessions of an Idefics3 export, with their tensor names checked against the contract
 * and the cache layout (layers, KV heads, head dim, dtypes) read from the decoder itself.
 */
public final class ModelSessions implements AutoCloseable {
  public final OrtSession vision;
  public final OrtSession embed;
  public final OrtSession decoder;

  /** past_key_values.{i}.key / .value input names, in layer order. */
  public final List<String> pastNames;

  /** present.{i}.key / .value output names, aligned with {@link #pastNames}. */
  public final List<String> presentNames;

  public final int kvHeads;
  public final int headDim;
  public final OnnxJavaType cacheType;
  public final OnnxJavaType embedsType;
  public final boolean hasUseCacheBranch;

  /** Vocabulary size when the decoder's logits are float32 with a fixed last dim, else 0. */
  public final int logitsVocab;

  public ModelSessions(ModelDirectory dir, SessionFactory factory) {
    try {
      vision = factory.open(dir.visionEncoder());
      embed = factory.open(dir.embedTokens());
      decoder = factory.open(dir.decoder());
      check(
          dir.visionEncoder(),
          vision,
          Set.of("pixel_values", "pixel_attention_mask"),
          Set.of("image_features"));
      check(dir.embedTokens(), embed, Set.of("input_ids"), Set.of("inputs_embeds"));
      check(
          dir.decoder(),
          decoder,
          Set.of("inputs_embeds", "attention_mask", "position_ids"),
          Set.of("logits"));
      Map<String, NodeInfo> in = decoder.getInputInfo();
      pastNames = new ArrayList<>();
      presentNames = new ArrayList<>();
      for (int i = 0; in.containsKey("past_key_values." + i + ".key"); i++) {
        for (String kind : List.of("key", "value")) {
          String past = "past_key_values." + i + "." + kind;
          String present = "present." + i + "." + kind;
          if (!in.containsKey(past) || !decoder.getOutputInfo().containsKey(present)) {
            throw new ModelLoadException(
                dir.decoder(), "decoder lacks " + past + " or " + present + " " + names(decoder));
          }
          pastNames.add(past);
          presentNames.add(present);
        }
      }
      if (pastNames.isEmpty()) {
        throw new ModelLoadException(
            dir.decoder(),
            "expected inputs past_key_values.{i}.key/.value but found " + in.keySet());
      }
      TensorInfo kv = (TensorInfo) in.get(pastNames.get(0)).getInfo();
      long[] shape = kv.getShape();
      // Prefer the exported shape; symbolic dims (-1) fall back to config.json.
      kvHeads = shape.length == 4 && shape[1] > 0 ? (int) shape[1] : dir.text().kvHeads();
      headDim = shape.length == 4 && shape[3] > 0 ? (int) shape[3] : dir.text().headDim();
      cacheType = kv.type;
      embedsType = ((TensorInfo) in.get("inputs_embeds").getInfo()).type;
      hasUseCacheBranch = in.containsKey("use_cache_branch");
      TensorInfo logits = (TensorInfo) decoder.getOutputInfo().get("logits").getInfo();
      long[] ls = logits.getShape();
      logitsVocab =
          logits.type == OnnxJavaType.FLOAT && ls.length == 3 && ls[2] > 0 ? (int) ls[2] : 0;
    } catch (OrtException e) {
      throw new ModelLoadException(
          dir.root(), "ONNX Runtime cannot open the model: " + e.getMessage(), e);
    }
  }

  private static void check(Path file, OrtSession s, Set<String> inputs, Set<String> outputs)
      throws OrtException {
    Set<String> in = s.getInputInfo().keySet();
    Set<String> out = s.getOutputInfo().keySet();
    if (!in.containsAll(inputs) || !out.containsAll(outputs)) {
      throw new ModelLoadException(
          file,
          "wrong tensor names: expected inputs "
              + new TreeSet<>(inputs)
              + " and outputs "
              + new TreeSet<>(outputs)
              + " but found inputs "
              + new TreeSet<>(in)
              + " and outputs "
              + new TreeSet<>(out));
    }
  }

  private static String names(OrtSession s) throws OrtException {
    return "(inputs "
        + new TreeSet<>(s.getInputInfo().keySet())
        + ", outputs "
        + new TreeSet<>(s.getOutputInfo().keySet())
        + ")";
  }

  @Override
  public void close() {
    for (OrtSession s : new OrtSession[] {vision, embed, decoder}) {
      try {
        if (s != null) {
          s.close();
        }
      } catch (OrtException e) {
        // closing is best effort; nothing else to release
      }
    }
  }
}
