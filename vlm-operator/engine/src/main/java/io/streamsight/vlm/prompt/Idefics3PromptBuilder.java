package io.streamsight.vlm.prompt;

import io.streamsight.vlm.preprocess.TileLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the token ids of an Idefics3 prompt: the chat template rendered with a placeholder for the
 * user text, each template {@code <image>} expanded to its tiles' tokens, special tokens of the
 * template mapped to their ids, and the text between them (user text included) encoded as plain
 * text. So a user typing {@code <image>} or {@code <end_of_utterance>} cannot add image slots or
 * end the turn.
 */
public final class Idefics3PromptBuilder implements PromptBuilder {
  static final String IMAGE = "<image>";
  static final String FAKE = "<fake_token_around_image>";
  static final String GLOBAL = "<global-img>";

  /** Private-use character: marks where the user text goes in the rendered template. */
  private static final String USER_SLOT = "\uE000";

  private final ChatTemplate template;
  private final VlmTokenizer tokenizer;
  private final int tokensPerTile;
  private final long imageTokenId;

  public Idefics3PromptBuilder(ChatTemplate template, VlmTokenizer tokenizer, int tokensPerTile) {
    this.template = template;
    this.tokenizer = tokenizer;
    this.tokensPerTile = tokensPerTile;
    for (String t : List.of(IMAGE, FAKE, GLOBAL, "<row_1_col_1>")) {
      if (!tokenizer.specialTokens().containsKey(t)) {
        throw new IllegalStateException("tokenizer lacks the Idefics3 special token " + t);
      }
    }
    this.imageTokenId = tokenizer.requireId(IMAGE);
  }

  @Override
  public long imageTokenId() {
    return imageTokenId;
  }

  public int tokensPerTile() {
    return tokensPerTile;
  }

  /** The expansion of one image, as transformers' Idefics3Processor writes it. */
  public String imageString(TileLayout layout) {
    String tokens = IMAGE.repeat(tokensPerTile);
    StringBuilder sb = new StringBuilder();
    if (layout.rows() == 0 && layout.cols() == 0) {
      return sb.append(FAKE).append(GLOBAL).append(tokens).append(FAKE).toString();
    }
    for (int r = 1; r <= layout.rows(); r++) {
      for (int c = 1; c <= layout.cols(); c++) {
        sb.append(FAKE).append("<row_").append(r).append("_col_").append(c).append('>');
        sb.append(tokens);
      }
      sb.append('\n');
    }
    return sb.append('\n').append(FAKE).append(GLOBAL).append(tokens).append(FAKE).toString();
  }

  @Override
  public Prompt build(List<TileLayout> images, String userText) {
    String rendered = template.render(images.size(), USER_SLOT);
    StringBuilder expanded = new StringBuilder();
    int next = 0;
    int from = 0;
    for (int at = rendered.indexOf(IMAGE); at >= 0; at = rendered.indexOf(IMAGE, from)) {
      if (next == images.size()) {
        throw new IllegalStateException("chat template wrote more <image> slots than images");
      }
      expanded.append(rendered, from, at).append(imageString(images.get(next++)));
      from = at + IMAGE.length();
    }
    expanded.append(rendered.substring(from));
    if (next != images.size()) {
      throw new IllegalStateException(
          "chat template wrote " + next + " <image> slots for " + images.size() + " images");
    }
    String structure = expanded.toString();
    long[] ids = tokenize(structure, userText);
    int imageTokens = 0;
    for (long id : ids) {
      if (id == imageTokenId) {
        imageTokens++;
      }
    }
    return new Prompt(structure.replace(USER_SLOT, userText), ids, imageTokens);
  }

  /** Special tokens are recognised only in the template part, never inside the user text. */
  private long[] tokenize(String structure, String userText) {
    Map<String, Long> specials = tokenizer.specialTokens();
    List<long[]> parts = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    int i = 0;
    while (i < structure.length()) {
      if (structure.startsWith(USER_SLOT, i)) {
        run.append(userText);
        i += USER_SLOT.length();
        continue;
      }
      String match = null;
      if (structure.charAt(i) == '<') {
        for (String s : specials.keySet()) {
          if (structure.startsWith(s, i) && (match == null || s.length() > match.length())) {
            match = s;
          }
        }
      }
      if (match == null) {
        run.append(structure.charAt(i++));
        continue;
      }
      parts.add(tokenizer.encodePlain(run.toString()));
      run.setLength(0);
      parts.add(new long[] {specials.get(match)});
      i += match.length();
    }
    parts.add(tokenizer.encodePlain(run.toString()));
    int n = parts.stream().mapToInt(p -> p.length).sum();
    long[] ids = new long[n];
    int o = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, ids, o, p.length);
      o += p.length;
    }
    return ids;
  }
}
