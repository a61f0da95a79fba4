package io.streamsight.vlm.remote;

import io.streamsight.vlm.api.ScoreMethod;
import java.util.List;
import java.util.Locale;

/**
 * p(yes) of a yes/no answer from a model server: folded from the first token's {@code
 * top_logprobs}, or read from the answer's text when the server gave no logprobs. Pure, so the
 * folding is tested without a server.
 *
 * @param pYes in [0, 1], {@code NaN} when {@code error} is set
 * @param method how pYes was read, {@code null} when {@code error} is set
 * @param error why no score could be read (never silently "no")
 */
record YesNoScore(double pYes, ScoreMethod method, String error) {

  /** One candidate of the first token, as the server spelled it. */
  record Candidate(String token, double logprob) {}

  static YesNoScore failed(String error) {
    return new YesNoScore(Double.NaN, null, error);
  }

  /**
   * Sums exp(logprob) over the tokens that spell "yes" ({@code Yes}, {@code yes}, {@code " Yes"},
   * {@code YES}, {@code "yes."}, a SentencePiece {@code ▁Yes} or a byte-level {@code ĠYes}) and
   * likewise "no", and returns yes / (yes + no). A tokenizer may list several spellings of one word
   * among the top candidates; each carries part of the mass, so all are summed. Neither word among
   * the candidates is a failed score: the model answered something else.
   */
  static YesNoScore fromLogprobs(List<Candidate> candidates) {
    double yes = 0;
    double no = 0;
    for (Candidate c : candidates) {
      if (!Double.isFinite(c.logprob())) {
        continue; // -inf is p = 0; NaN is garbage, ignored rather than poisoning the sum
      }
      String word = normalise(c.token());
      if (word.equals("yes")) {
        yes += Math.exp(c.logprob());
      } else if (word.equals("no")) {
        no += Math.exp(c.logprob());
      }
    }
    if (yes + no <= 0) {
      return failed(
          "neither yes nor no among the first token's "
              + candidates.size()
              + " top logprobs "
              + shown(candidates));
    }
    return new YesNoScore(yes / (yes + no), ScoreMethod.LOGPROBS, null);
  }

  /**
   * The declared fallback of a server that returns no logprobs: an answer starting with yes is 1,
   * with no is 0, anything else (empty, "maybe", a sentence) is a failed score.
   */
  static YesNoScore fromText(String answer) {
    String text = answer == null ? "" : answer.strip();
    String first = text.split("[\\s,.!;:]+", 2)[0];
    String word = normalise(first);
    if (word.equals("yes")) {
      return new YesNoScore(1.0, ScoreMethod.TEXT, null);
    }
    if (word.equals("no")) {
      return new YesNoScore(0.0, ScoreMethod.TEXT, null);
    }
    return failed(
        "the server returned no logprobs and the answer is not yes or no: '"
            + clip(text, 60)
            + "'");
  }

  /** Lower case, without word-boundary markers, whitespace, quotes and trailing punctuation. */
  static String normalise(String token) {
    if (token == null) {
      return "";
    }
    String t = token.replace('\u2581', ' ').replace('\u0120', ' ').strip();
    t = t.replaceAll("^[\"'*`]+|[\"'*`.,!?:;]+$", "");
    return t.toLowerCase(Locale.ROOT);
  }

  private static String shown(List<Candidate> candidates) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < Math.min(candidates.size(), 5); i++) {
      if (i > 0) {
        b.append(", ");
      }
      Candidate c = candidates.get(i);
      b.append('\'').append(clip(c.token(), 20)).append("' ");
      b.append(String.format(Locale.ROOT, "%.3f", Math.exp(c.logprob())));
    }
    return b.append(candidates.size() > 5 ? ", ...]" : "]").toString();
  }

  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
