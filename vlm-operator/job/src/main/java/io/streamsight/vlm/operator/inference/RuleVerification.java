package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.ScoreMethod;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleCheck;
import io.streamsight.vlm.operator.types.RuleCheck.Verdict;
import java.util.List;

/**
 * The translator of a verification cascade's second stage: what the verifier is asked about a rule
 * whose screening score reached its threshold, and what its answers mean. Two requests on the same
 * frames: a SCORE of the rule's own question (its p(yes), read as the verifier's back-end reads
 * p(yes): logits, logprobs or text) and a short ASK for one sentence why. They go out together, so
 * a confirmed alert waits for one round trip, not two; the price is a short answer also for windows
 * the verifier rejects (whose reasons are logged, and help tune the rule).
 *
 * <p>The verdict: CONFIRMED when the verifier's p(yes) reaches the rule's threshold too; REJECTED
 * when it does not, or when its score failed (an unverifiable alert is not emitted); SHED when the
 * verifier could not be asked at all (server down, budget spent, or lagging: see {@link Routed}).
 */
public final class RuleVerification {
  /** Longest reason kept in an alert, in characters. */
  static final int MAX_REASON_CHARS = 300;

  /** Tokens the verifier may use for its reason. */
  static final int REASON_TOKENS = 48;

  private RuleVerification() {}

  /** The two requests for {@code rule} over {@code images}: SCORE, then the ASK for why. */
  public static List<VlmRequest> requests(Rule rule, List<byte[]> images, ImageBudget budget) {
    return List.of(
        new VlmRequest(Task.SCORE, images, rule.question(), GenerationOptions.greedy(1, budget)),
        new VlmRequest(
            Task.ASK,
            images,
            rule.question() + " Answer yes or no, then give one sentence why.",
            GenerationOptions.greedy(REASON_TOKENS, budget)));
  }

  /**
   * The verdict on {@code rule} from the verifier's two results.
   *
   * @param screening how the screening model read its p(yes)
   */
  public static RuleCheck judge(Rule rule, ScoreMethod screening, Routed score, Routed why) {
    if (score.shed() || score.unavailable()) {
      return new RuleCheck(
          screening, Verdict.SHED, score.modelId(), Double.NaN, reasonOf(why), null);
    }
    VlmResult s = score.completion().result();
    String reason = reasonOf(why);
    boolean failed = s.finishReason() == FinishReason.ERROR || Double.isNaN(s.pYes());
    if (failed) {
      return new RuleCheck(
          screening,
          Verdict.REJECTED,
          score.modelId(),
          Double.NaN,
          s.error() == null ? reason : "verifier failed: " + s.error(),
          s.scoreMethod());
    }
    Verdict v = s.pYes() >= rule.threshold() ? Verdict.CONFIRMED : Verdict.REJECTED;
    return new RuleCheck(screening, v, score.modelId(), s.pYes(), reason, s.scoreMethod());
  }

  /** The verifier's answer as one line, bounded; "" when it gave none. */
  static String reasonOf(Routed why) {
    if (why == null || why.shed() || why.unavailable()) {
      return "";
    }
    VlmResult r = why.completion().result();
    if (r == null || r.finishReason() == FinishReason.ERROR || r.text() == null) {
      return "";
    }
    String line = r.text().strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS) + "…";
  }
}
