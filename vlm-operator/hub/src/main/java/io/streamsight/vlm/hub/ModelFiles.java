package io.streamsight.vlm.hub;

import io.streamsight.vlm.model.ModelVariant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which files of a SmolVLM/Idefics3 ONNX repository one variant needs: the shared config and
 * tokenizer files plus that variant's three graphs and their external-data files. Everything else
 * in the repo (other variants, safetensors, merges.txt, ...) is left on the hub.
 */
public final class ModelFiles {
  /** Files the engine cannot start without (as io.streamsight.vlm.model.ModelDirectory checks). */
  static final List<String> REQUIRED_CONFIG =
      List.of(
          "config.json", "preprocessor_config.json", "generation_config.json", "tokenizer.json");

  /**
   * Files the engine uses when present and has a fallback for otherwise (e.g. the chat template may
   * live in tokenizer_config.json); older repos lack some of them.
   */
  static final List<String> OPTIONAL_CONFIG =
      List.of(
          "processor_config.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "chat_template.json",
          "chat_template.jinja");

  static final List<String> GRAPHS =
      List.of("vision_encoder", "embed_tokens", "decoder_model_merged");

  /** One file to fetch; {@code meta} is null when the hub gave no metadata. */
  public record Wanted(String path, boolean optional, HubFile meta) {}

  private ModelFiles() {}

  /** The graph file names of a variant, e.g. {@code onnx/embed_tokens_q4.onnx}. */
  public static List<String> graphs(ModelVariant variant) {
    return GRAPHS.stream().map(g -> "onnx/" + g + variant.suffix() + ".onnx").toList();
  }

  /**
   * Plans the download. With a listing, optional files not listed are left out, external-data files
   * ({@code X.onnx_data}, {@code X.onnx_data_1}, ...) are added when listed, and a missing required
   * file fails before anything is downloaded, naming the variants the repo does have. Without a
   * listing every candidate is tried and {@code .onnx_data} files are optional.
   */
  static List<Wanted> plan(
      ModelVariant variant, Optional<List<HubFile>> listing, String repo, String revision) {
    List<Wanted> out = new ArrayList<>();
    if (listing.isEmpty()) {
      REQUIRED_CONFIG.forEach(p -> out.add(new Wanted(p, false, null)));
      OPTIONAL_CONFIG.forEach(p -> out.add(new Wanted(p, true, null)));
      for (String g : graphs(variant)) {
        out.add(new Wanted(g, false, null));
        out.add(new Wanted(g + "_data", true, null));
      }
      return out;
    }
    Map<String, HubFile> byPath = new LinkedHashMap<>();
    listing.get().forEach(f -> byPath.put(f.path(), f));
    List<String> missing = new ArrayList<>();
    for (String p : REQUIRED_CONFIG) {
      if (byPath.containsKey(p)) {
        out.add(new Wanted(p, false, byPath.get(p)));
      } else {
        missing.add(p);
      }
    }
    for (String p : OPTIONAL_CONFIG) {
      if (byPath.containsKey(p)) {
        out.add(new Wanted(p, true, byPath.get(p)));
      }
    }
    for (String g : graphs(variant)) {
      if (!byPath.containsKey(g)) {
        missing.add(g);
        continue;
      }
      out.add(new Wanted(g, false, byPath.get(g)));
      String data = g + "_data";
      byPath.values().stream()
          .filter(f -> f.path().equals(data) || f.path().startsWith(data + "_"))
          .forEach(f -> out.add(new Wanted(f.path(), false, f)));
    }
    if (!missing.isEmpty()) {
      throw new HubException(
          HubException.Kind.NOT_FOUND,
          repo
              + " (revision "
              + revision
              + ") has no "
              + String.join(", ", missing)
              + " for variant "
              + variant.cliName()
              + "; variants it has: "
              + describe(available(byPath.keySet())));
    }
    return out;
  }

  /** Variants whose three graphs are all present in a listing. */
  static Set<ModelVariant> available(Set<String> paths) {
    Set<ModelVariant> vs = EnumSet.noneOf(ModelVariant.class);
    for (ModelVariant v : ModelVariant.values()) {
      if (paths.containsAll(graphs(v))) {
        vs.add(v);
      }
    }
    return vs;
  }

  private static String describe(Set<ModelVariant> vs) {
    return vs.isEmpty()
        ? "none (is this an ONNX export of SmolVLM/Idefics3?)"
        : vs.stream().map(ModelVariant::cliName).collect(Collectors.joining(", "));
  }
}
