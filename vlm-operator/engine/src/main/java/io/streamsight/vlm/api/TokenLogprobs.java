package io.streamsight.vlm.api;

import java.util.List;
import java.util.Objects;

/**
 * The model's log-probabilities at one generated position, read from that step's logits with a
 * plain softmax (temperature 1, whatever the request's sampling settings): what an OpenAI-style
 * {@code logprobs} / {@code top_logprobs} answer reports, and what a yes/no scorer on the far side
 * of a server reads p(yes) from.
 *
 * @param tokenId the token generated at this position
 * @param token its text (decoded alone)
 * @param logprob its natural-log probability
 * @param top the most likely tokens at this position, most likely first ({@link
 *     GenerationOptions#topLogprobs()} of them)
 */
public record TokenLogprobs(long tokenId, String token, double logprob, List<Candidate> top) {
  public TokenLogprobs {
    Objects.requireNonNull(token, "token");
    top = List.copyOf(top);
  }

  /** One of the most likely tokens at a position. */
  public record Candidate(long tokenId, String token, double logprob) {
    public Candidate {
      Objects.requireNonNull(token, "token");
    }
  }
}
