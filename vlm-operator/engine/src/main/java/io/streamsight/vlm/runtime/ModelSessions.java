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

  /**
   * Vocabulary size when the decoder's logits are float32 or float16 with a fixed last dim (so the
   * generator can give ONNX Runtime a buffer of the right size), else 0.
   */
  public final int logitsVocab;

  /** Element type of the decoder's logits. */
  public final OnnxJavaType logitsType;

  /** Opens one graph; the seam lets tests watch which sessions were opened and closed. */
  @FunctionalInterface
  interface Opener {
    OrtSession open(Path graph) throws OrtException;
  }

  public ModelSessions(ModelDirectory dir, SessionFactory factory) {
    this(dir, factory::open);
  }

  /**
   * Opens the three graphs and checks them. If any step fails, the sessions already opened are
   * closed before the error leaves: each holds the graph's weights in native memory (hundreds of MB
   * for a real model), which no garbage collection would ever free.
   */
  ModelSessions(ModelDirectory dir, Opener opener) {
    List<OrtSession> opened = new ArrayList<>(3);
    try {
      vision = open(opener, dir.visionEncoder(), opened);
      embed = open(opener, dir.embedTokens(), opened);
      decoder = open(opener, dir.decoder(), opened);
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
      logitsType = logits.type;
      boolean floats = logits.type == OnnxJavaType.FLOAT || logits.type == OnnxJavaType.FLOAT16;
      logitsVocab = floats && ls.length == 3 && ls[2] > 0 ? (int) ls[2] : 0;
    } catch (OrtException e) {
      closeQuietly(opened, e);
      throw new ModelLoadException(
          dir.root(), "ONNX Runtime cannot read the model: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      closeQuietly(opened, e);
      throw e;
    }
  }

  private static OrtSession open(Opener opener, Path graph, List<OrtSession> opened) {
    try {
      OrtSession s = opener.open(graph);
      opened.add(s);
      return s;
    } catch (OrtException e) {
      throw new ModelLoadException(
          graph,
          "ONNX Runtime cannot open this graph"
              + (opened.isEmpty()
                  ? ""
                  : " (the " + opened.size() + " graph(s) opened before it are closed again)")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Closes sessions opened before a failure; a close failure is kept on the original error. */
  private static void closeQuietly(List<OrtSession> opened, Throwable failure) {
    for (OrtSession s : opened) {
      try {
        s.close();
      } catch (OrtException | RuntimeException e) {
        failure.addSuppressed(e);
      }
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
