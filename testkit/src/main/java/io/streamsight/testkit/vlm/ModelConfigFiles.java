package io.streamsight.testkit.vlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON files of a published SmolVLM directory, written for a generated model. */
final class ModelConfigFiles {
  /** The SmolVLM chat template, as shipped in its chat_template.json. */
  static final String CHAT_TEMPLATE =
      "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if"
          + " message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}{% for"
          + " line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}{% elif"
          + " line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor"
          + " %}<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{%"
          + " endif %}";

  record Sizes(
      int layers,
      int heads,
      int kvHeads,
      int headDim,
      int hidden,
      int tile,
      int longestEdge,
      int tokensPerTile,
      int maxPositions) {}

  private ModelConfigFiles() {}

  static void write(Path dir, FixtureVocabulary vocab, Sizes s, String note) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    int eos = vocab.id(FixtureVocabulary.EOU);
    int pad = vocab.id(FixtureVocabulary.PAD);
    int bos = vocab.id(FixtureVocabulary.BOS);
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("model_type", "llama");
    text.put("num_hidden_layers", s.layers());
    text.put("num_attention_heads", s.heads());
    text.put("num_key_value_heads", s.kvHeads());
    text.put("head_dim", s.headDim());
    text.put("hidden_size", s.hidden());
    text.put("vocab_size", vocab.size());
    text.put("max_position_embeddings", s.maxPositions());
    text.put("bos_token_id", bos);
    text.put("eos_token_id", eos);
    text.put("pad_token_id", pad);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("_comment", note);
    config.put("architectures", List.of("Idefics3ForConditionalGeneration"));
    config.put("model_type", "idefics3");
    config.put("image_token_id", vocab.id(FixtureVocabulary.IMAGE));
    config.put("pad_token_id", pad);
    config.put("scale_factor", 2);
    config.put("text_config", text);
    config.put(
        "vision_config",
        Map.of("image_size", s.tile(), "patch_size", 16, "model_type", "idefics3_vision"));
    m.writeValue(dir.resolve("config.json").toFile(), config);

    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("do_convert_rgb", true);
    pre.put("do_image_splitting", true);
    pre.put("do_normalize", true);
    pre.put("do_pad", true);
    pre.put("do_rescale", true);
    pre.put("do_resize", true);
    pre.put("image_mean", List.of(0.5, 0.5, 0.5));
    pre.put("image_std", List.of(0.5, 0.5, 0.5));
    pre.put("image_processor_type", "Idefics3ImageProcessor");
    pre.put("max_image_size", Map.of("longest_edge", s.tile()));
    pre.put("resample", 1);
    pre.put("rescale_factor", 1 / 255.0);
    pre.put("size", Map.of("longest_edge", s.longestEdge()));
    pre.put("processor_class", "Idefics3Processor");
    m.writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);
    m.writeValue(
        dir.resolve("processor_config.json").toFile(),
        Map.of("image_seq_len", s.tokensPerTile(), "processor_class", "Idefics3Processor"));
    m.writeValue(
        dir.resolve("generation_config.json").toFile(),
        Map.of("bos_token_id", bos, "eos_token_id", eos, "pad_token_id", pad, "use_cache", true));
    m.writeValue(
        dir.resolve("chat_template.json").toFile(), Map.of("chat_template", CHAT_TEMPLATE));
    Map<String, Object> tc = new LinkedHashMap<>();
    tc.put("bos_token", FixtureVocabulary.BOS);
    tc.put("eos_token", FixtureVocabulary.EOU);
    tc.put("pad_token", FixtureVocabulary.PAD);
    tc.put("unk_token", FixtureVocabulary.UNK);
    tc.put(
        "additional_special_tokens",
        List.of(FixtureVocabulary.FAKE, FixtureVocabulary.IMAGE, FixtureVocabulary.EOU));
    tc.put("processor_class", "Idefics3Processor");
    // transformers.js reads the template from here, transformers from chat_template.json.
    tc.put("chat_template", CHAT_TEMPLATE);
    m.writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
    m.writeValue(
        dir.resolve("special_tokens_map.json").toFile(),
        Map.of(
            "bos_token",
            FixtureVocabulary.BOS,
            "eos_token",
            FixtureVocabulary.EOU,
            "pad_token",
            FixtureVocabulary.PAD,
            "unk_token",
            FixtureVocabulary.UNK));
    m.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer(vocab));
  }

  private static Map<String, Object> tokenizer(FixtureVocabulary vocab) {
    List<Map<String, Object>> added = new ArrayList<>();
    for (String sp : vocab.specials) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", vocab.id(sp));
      t.put("content", sp);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
      added.add(t);
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "WordLevel");
    model.put("vocab", vocab.vocab);
    model.put("unk_token", FixtureVocabulary.UNK);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("version", "1.0");
    t.put("truncation", null);
    t.put("padding", null);
    t.put("added_tokens", added);
    t.put("normalizer", null);
    t.put("pre_tokenizer", Map.of("type", "Whitespace"));
    t.put("post_processor", null);
    t.put("decoder", null);
    t.put("model", model);
    return t;
  }
}
