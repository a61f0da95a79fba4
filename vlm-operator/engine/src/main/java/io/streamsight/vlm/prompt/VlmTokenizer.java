package io.streamsight.vlm.prompt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamsight.vlm.model.ModelLoadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model's tokenizer.json through DJL's HF tokenizers, loaded twice: as published (for decoding
 * and the ids of special tokens) and without its added tokens ("plain"), which encodes text runs so
 * that special-token look-alikes typed by a user stay ordinary text.
 */
public final class VlmTokenizer implements AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer full;
  private final HuggingFaceTokenizer plain;
  private final Map<String, Long> specialTokens;

  private VlmTokenizer(
      HuggingFaceTokenizer full, HuggingFaceTokenizer plain, Map<String, Long> specialTokens) {
    this.full = full;
    this.plain = plain;
    this.specialTokens = specialTokens;
  }

  public static VlmTokenizer load(Path tokenizerJson) {
    forceBundledNativeLibrary();
    try {
      ObjectMapper mapper = new ObjectMapper();
      JsonNode root = mapper.readTree(tokenizerJson.toFile());
      Map<String, Long> specials = new LinkedHashMap<>();
      for (JsonNode t : root.path("added_tokens")) {
        specials.put(t.path("content").asText(), t.path("id").asLong());
      }
      HuggingFaceTokenizer full =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(mapper.writeValueAsBytes(root)), OPTIONS);
      ((ObjectNode) root).putArray("added_tokens");
      HuggingFaceTokenizer plain =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(mapper.writeValueAsBytes(root)), OPTIONS);
      return new VlmTokenizer(full, plain, Collections.unmodifiableMap(specials));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(tokenizerJson, "cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  /**
   * DJL would otherwise look for a CUDA flavour or download a native library; the jar bundles the
   * CPU one and a streaming job must never reach out to the internet at start.
   */
  static void forceBundledNativeLibrary() {
    if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** Special (added) tokens by content, e.g. {@code <image>} -> id. */
  public Map<String, Long> specialTokens() {
    return specialTokens;
  }

  /** Encodes text in which special-token strings are plain characters. */
  public long[] encodePlain(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    return plain.encode(text, false, false).getIds();
  }

  /** The id of a special token, or of a word that must be a single token (e.g. "Yes"). */
  public long requireId(String token) {
    Long id = specialTokens.get(token);
    if (id != null) {
      return id;
    }
    long[] ids = encodePlain(token);
    if (ids.length != 1) {
      throw new IllegalStateException(
          "token '" + token + "' is not a single token in this tokenizer (" + ids.length + ")");
    }
    return ids[0];
  }

  /**
   * The token a yes/no answer starts with: the word's single token, else its first token (the one
   * whose logit a one-pass score can read).
   */
  public long firstTokenId(String word) {
    long[] ids = encodePlain(word);
    if (ids.length == 0) {
      throw new IllegalStateException("'" + word + "' encodes to no tokens");
    }
    return ids[0];
  }

  public String decode(long[] ids) {
    return full.decode(ids, true);
  }

  /** Token id -> special token content, for structure checks in tests. */
  public Map<Long, String> specialById() {
    Map<Long, String> m = new HashMap<>();
    specialTokens.forEach((k, v) -> m.put(v, k));
    return m;
  }

  @Override
  public void close() {
    full.close();
    plain.close();
  }
}
