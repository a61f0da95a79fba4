package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.operator.types.RuleCheck.Verdict;
import io.streamsight.vlm.operator.util.BoundedLabels;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per rule with a verifier (group {@code rule=<id>}, at most {@value #MAX_RULES} rules with their
 * own label per subtask, the rest {@code other}): {@code screened} (scores of the screening model),
 * {@code verified} (the verifier agreed: alert), {@code rejected} (it did not: no alert) and {@code
 * verificationShed} (it could not be asked). {@code verified + rejected + verificationShed} is how
 * many screening scores reached the threshold.
 */
final class CascadeMetrics {
  static final int MAX_RULES = 200;
  private final MetricGroup group;
  private final BoundedLabels rules = new BoundedLabels(MAX_RULES);
  private final Map<String, Counters> counters = new HashMap<>();

  private record Counters(Counter screened, Counter verified, Counter rejected, Counter shed) {}

  CascadeMetrics(MetricGroup group) {
    this.group = group;
  }

  private Counters of(String ruleId) {
    return counters.computeIfAbsent(
        rules.label(ruleId),
        label -> {
          MetricGroup g = group.addGroup("rule", label);
          return new Counters(
              g.counter("screened"),
              g.counter("verified"),
              g.counter("rejected"),
              g.counter("verificationShed"));
        });
  }

  synchronized void screened(String ruleId) {
    of(ruleId).screened.inc();
  }

  synchronized void judged(String ruleId, Verdict v) {
    Counters c = of(ruleId);
    switch (v) {
      case CONFIRMED -> c.verified.inc();
      case REJECTED -> c.rejected.inc();
      case SHED -> c.shed.inc();
      case UNVERIFIED -> {}
    }
  }

  synchronized long count(String ruleId, Verdict v) {
    Counters c = of(ruleId);
    return switch (v) {
      case CONFIRMED -> c.verified.getCount();
      case REJECTED -> c.rejected.getCount();
      case SHED -> c.shed.getCount();
      case UNVERIFIED -> c.screened.getCount();
    };
  }
}
