package io.streamsight.testkit.vlm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixture's word-level vocabulary: SmolVLM's special tokens (same strings, appended after the
 * words as in the published tokenizer), the prompt words and the colour names.
 */
public final class FixtureVocabulary {
  /** The palette the fixture recognises, in one-hot order. */
  public static final List<String> COLOURS =
      List.of("red", "green", "blue", "yellow", "white", "black");

  /** Palette colours as RGB in [0, 1]; green is mid-green so dark greens still read as green. */
  static final float[][] PALETTE = {
    {1, 0, 0}, {0, 0.7f, 0}, {0, 0, 1}, {1, 1, 0}, {1, 1, 1}, {0, 0, 0}
  };

  static final String UNK = "<|endoftext|>";
  static final String BOS = "<|im_start|>";
  static final String PAD = "<|im_end|>";
  static final String FAKE = "<fake_token_around_image>";
  static final String IMAGE = "<image>";
  static final String EOU = "<end_of_utterance>";
  static final String GLOBAL = "<global-img>";

  private static final List<String> WORDS =
      List.of(
          "User",
          "Assistant",
          ":",
          "?",
          ".",
          ",",
          "!",
          "'",
          "Yes",
          "No",
          "yes",
          "no",
          "is",
          "the",
          "scene",
          "image",
          "images",
          "describe",
          "Describe",
          "Is",
          "there",
          "a",
          "an",
          "square",
          "frames",
          "frame",
          "what",
          "What",
          "happens",
          "across",
          "these",
          "Summarise",
          "Summarize",
          "and",
          "then",
          "of",
          "in",
          "colour",
          "color",
          "dominant",
          "which",
          "Which",
          "this",
          "picture",
          "show",
          "shows",
          "any",
          "anything",
          "it",
          "Does",
          "does",
          "contain",
          "Are",
          "are",
          "mostly",
          "all",
          "camera",
          "view");

  final Map<String, Integer> vocab = new LinkedHashMap<>();
  final List<String> specials = new ArrayList<>();

  FixtureVocabulary() {
    this(0);
  }

  /** With filler words so the vocabulary has {@code size} entries (random models). */
  FixtureVocabulary(int size) {
    add(UNK);
    add(BOS);
    add(PAD);
    WORDS.forEach(this::add);
    for (String c : COLOURS) {
      add(c);
      add(Character.toUpperCase(c.charAt(0)) + c.substring(1));
    }
    int fillers = size - vocab.size() - 40;
    for (int i = 0; i < fillers; i++) {
      add("w" + i);
    }
    specials.addAll(List.of(UNK, BOS, PAD));
    List<String> added = new ArrayList<>(List.of(FAKE, IMAGE, EOU, GLOBAL));
    for (int r = 1; r <= 6; r++) {
      for (int c = 1; c <= 6; c++) {
        added.add("<row_" + r + "_col_" + c + ">");
      }
    }
    for (String s : added) {
      add(s);
      specials.add(s);
    }
  }

  private void add(String token) {
    vocab.putIfAbsent(token, vocab.size());
  }

  int id(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("not in the fixture vocabulary: " + token);
    }
    return id;
  }

  int size() {
    return vocab.size();
  }

  /** Colour index of a word (either case), or -1. */
  static int colourOf(String word) {
    return COLOURS.indexOf(word.toLowerCase(java.util.Locale.ROOT));
  }
}
