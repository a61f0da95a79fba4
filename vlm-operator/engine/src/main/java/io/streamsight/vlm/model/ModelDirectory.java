package io.streamsight.vlm.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory in the published Hugging Face layout, with its config files parsed once. Every
 * missing file is reported in one error, so a half-downloaded directory is diagnosed in one go.
 */
public record ModelDirectory(
    Path root,
    ModelVariant variant,
    String modelType,
    TextConfig text,
    ImageProcessorConfig image,
    int imageSeqLen,
    List<Long> eosTokenIds,
    long padTokenId,
    Long imageTokenId,
    String chatTemplate,
    Path tokenizerJson,
    Path visionEncoder,
    Path embedTokens,
    Path decoder) {

  public static final String VISION_ENCODER = "vision_encoder";
  public static final String EMBED_TOKENS = "embed_tokens";
  public static final String DECODER = "decoder_model_merged";

  /**
   * @param maxPositions text model context length ({@code max_position_embeddings})
   */
  public record TextConfig(int numLayers, int kvHeads, int headDim, int maxPositions) {}

  /** The config and tokenizer files every variant shares. */
  public static final List<String> COMMON_FILES =
      List.of(
          "config.json", "preprocessor_config.json", "generation_config.json", "tokenizer.json");

  /** The three graphs of a variant. */
  public static List<String> graphFiles(ModelVariant variant) {
    return List.of(
        variant.fileName(VISION_ENCODER),
        variant.fileName(EMBED_TOKENS),
        variant.fileName(DECODER));
  }

  /** The variants whose three graphs are all in {@code root}, in {@link ModelVariant} order. */
  public static List<ModelVariant> variantsIn(Path root) {
    List<ModelVariant> out = new ArrayList<>();
    for (ModelVariant v : ModelVariant.values()) {
      if (graphFiles(v).stream().allMatch(f -> Files.isRegularFile(root.resolve(f)))) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Checks that {@code root} holds every file {@code variant} needs, without parsing any: one error
   * names all missing files, the variants the directory does hold, and the {@code model pull}
   * command that fetches the rest.
   */
  public static void requireFiles(Path root, ModelVariant variant) {
    if (!Files.isDirectory(root)) {
      throw new ModelLoadException(
          root,
          "model directory does not exist; fetch the model with: "
              + ModelSource.pullCommand(root, variant));
    }
    List<String> missing = new ArrayList<>();
    for (String f : COMMON_FILES) {
      if (!Files.isRegularFile(root.resolve(f))) {
        missing.add(f);
      }
    }
    for (String f : graphFiles(variant)) {
      if (!Files.isRegularFile(root.resolve(f))) {
        missing.add(f);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<ModelVariant> present = variantsIn(root);
    String holds =
        present.isEmpty()
            ? "it holds no complete variant"
            : "it holds "
                + String.join(", ", present.stream().map(ModelVariant::cliName).toList())
                + " (choose one with --variant)";
    throw new ModelLoadException(
        root,
        "missing files for model variant "
            + variant.cliName()
            + ": "
            + missing
            + "; "
            + holds
            + ". Fetch them with: "
            + ModelSource.pullCommand(root, variant));
  }

  public static ModelDirectory open(Path root, ModelVariant variant) {
    requireFiles(root, variant);
    Path configFile = root.resolve("config.json");
    JsonNode config = Json.read(configFile);
    String modelType = config.path("model_type").asText("");
    JsonNode tc = config.path("text_config");
    int heads = tc.path("num_attention_heads").asInt(0);
    int hidden = tc.path("hidden_size").asInt(0);
    int headDim = tc.path("head_dim").asInt(heads > 0 ? hidden / heads : 0);
    TextConfig text =
        new TextConfig(
            tc.path("num_hidden_layers").asInt(0),
            tc.path("num_key_value_heads").asInt(heads),
            headDim,
            tc.path("max_position_embeddings").asInt(8192));
    Path preFile = root.resolve("preprocessor_config.json");
    ImageProcessorConfig image = ImageProcessorConfig.parse(preFile, Json.read(preFile));

    Path procFile = root.resolve("processor_config.json");
    int imageSeqLen =
        Files.isRegularFile(procFile)
            ? Json.requireInt(procFile, Json.read(procFile), "image_seq_len")
            : config.path("image_seq_len").asInt(64);

    Path genFile = root.resolve("generation_config.json");
    JsonNode gen = Json.read(genFile);
    List<Long> eos = Json.longs(gen.path("eos_token_id"));
    if (eos.isEmpty()) {
      eos = Json.longs(tc.path("eos_token_id"));
    }
    if (eos.isEmpty()) {
      throw new ModelLoadException(genFile, "no eos_token_id in generation_config or config");
    }
    long pad = gen.path("pad_token_id").asLong(config.path("pad_token_id").asLong(eos.get(0)));
    Long imageTokenId =
        config.path("image_token_id").isNumber() ? config.path("image_token_id").asLong() : null;

    return new ModelDirectory(
        root,
        variant,
        modelType,
        text,
        image,
        imageSeqLen,
        List.copyOf(eos),
        pad,
        imageTokenId,
        readChatTemplate(root),
        root.resolve("tokenizer.json"),
        root.resolve(variant.fileName(VISION_ENCODER)),
        root.resolve(variant.fileName(EMBED_TOKENS)),
        root.resolve(variant.fileName(DECODER)));
  }

  /** The template shipped with the model: chat_template.jinja, .json, or tokenizer_config. */
  private static String readChatTemplate(Path root) {
    Path jinja = root.resolve("chat_template.jinja");
    try {
      if (Files.isRegularFile(jinja)) {
        return Files.readString(jinja, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new ModelLoadException(jinja, "unreadable chat template", e);
    }
    for (String f : List.of("chat_template.json", "tokenizer_config.json")) {
      Path p = root.resolve(f);
      if (Files.isRegularFile(p)) {
        JsonNode t = Json.read(p).path("chat_template");
        if (t.isTextual()) {
          return t.asText();
        }
      }
    }
    throw new ModelLoadException(
        root,
        "no chat template (chat_template.jinja, chat_template.json or tokenizer_config.json)");
  }
}
