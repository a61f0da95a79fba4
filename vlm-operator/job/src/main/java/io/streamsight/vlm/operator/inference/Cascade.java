package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.Rule;
import io.streamsight.vlm.operator.types.RuleCheck;
import io.streamsight.vlm.operator.types.RuleCheck.Verdict;
import io.streamsight.vlm.operator.util.Lru;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification cascade inside the scoring step: after the screening model scored a window so
 * far, each rule with {@code verifyWith} whose p(yes) reached its threshold goes to its verifier
 * ({@link RuleVerification}: same question, same frames, plus one sentence why), and the outcome
 * carries the verdict per rule ({@link RuleCheck}), so the alert emitter downstream only sees
 * confirmed or rejected scores.
 *
 * <p>Early firing scores a window again on each keyframe, and the emitter alerts at most once per
 * rule and window; so a window's confirmation is remembered (a bounded LRU of {@value #REMEMBERED}
 * windows per subtask, not checkpointed) and its later scores over the threshold reuse it instead
 * of paying the verifier again. After a restart nothing is remembered: a replay asks the verifier
 * again (and alert ids are the same, from rule, camera and window).
 */
final class Cascade {
  private static final Logger LOG = LoggerFactory.getLogger(Cascade.class);
  static final int REMEMBERED = 4096;

  private final ModelPool pool;
  private final CascadeMetrics metrics;
  private final ImageBudget budget;
  private final Map<String, RuleCheck> confirmed = new Lru<>(REMEMBERED);
  private final RateLimitedLog rejections = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);

  Cascade(ModelPool pool, CascadeMetrics metrics, ImageBudget budget) {
    this.pool = pool;
    this.metrics = metrics;
    this.budget = budget;
  }

  /** The checks of {@code task}'s rules once every flagged one has its verdict. */
  CompletableFuture<RuleCheck[]> verify(
      InferenceTask task, List<byte[]> images, double[] pYes, RuleCheck[] screening) {
    Rule[] rules = task.rules();
    RuleCheck[] checks = screening.clone();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < rules.length && i < pYes.length; i++) {
      Rule rule = rules[i];
      if (rule.verifyWith() == null || Double.isNaN(pYes[i])) {
        continue;
      }
      metrics.screened(rule.id());
      if (pYes[i] < rule.threshold()) {
        continue;
      }
      String key = windowKey(rule, task);
      RuleCheck known;
      synchronized (confirmed) {
        known = confirmed.get(key);
      }
      if (known != null) {
        checks[i] = known;
        continue;
      }
      int at = i;
      pending.add(ask(rule, task, images, screening[i]).thenAccept(c -> checks[at] = c));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .thenApply(v -> checks);
  }

  private CompletableFuture<RuleCheck> ask(
      Rule rule, InferenceTask task, List<byte[]> images, RuleCheck screening) {
    List<String> verifier = List.of(rule.verifyWith());
    List<VlmRequest> requests = RuleVerification.requests(rule, images, budget);
    long event = task.eventTimeMicros();
    CompletableFuture<Routed> score =
        pool.submit(verifier, requests.get(0), task.cameraId(), event, false);
    CompletableFuture<Routed> why =
        pool.submit(verifier, requests.get(1), task.cameraId(), event, false);
    return score.thenCombine(
        why,
        (s, w) -> {
          RuleCheck c = RuleVerification.judge(rule, screening.scoreMethod(), s, w);
          metrics.judged(rule.id(), c.verdict());
          if (c.verdict() == Verdict.CONFIRMED) {
            synchronized (confirmed) {
              confirmed.put(windowKey(rule, task), c);
            }
          } else if (c.verdict() == Verdict.SHED) {
            rejections.warn(
                "verify:" + rule.id(),
                "rule "
                    + rule.id()
                    + " on camera "
                    + task.cameraId()
                    + ": verifier "
                    + rule.verifyWith()
                    + " could not be asked, no alert (verificationShed)");
          } else {
            // The normal case of a cascade: DEBUG, the counter says how often.
            LOG.debug(
                "rule {} on camera {}: verifier {} disagreed, p(yes) {}: {}",
                rule.id(),
                task.cameraId(),
                rule.verifyWith(),
                c.verifierPYes(),
                c.reason());
          }
          return c;
        });
  }

  private static String windowKey(Rule rule, InferenceTask task) {
    return rule.id()
        + '\u0000'
        + task.cameraId()
        + '\u0000'
        + task.window().windowStartMicros()
        + '\u0000'
        + task.window().windowEndMicros();
  }
}
