package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.feedback.RuleFeedbackStats;
import io.streamsight.schemas.feedback.RuleFeedbackStats.Distribution;
import io.streamsight.schemas.feedback.RuleFeedbackStats.RuleFigures;
import io.streamsight.schemas.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code rules list --stats} table: {@link RuleFeedbackStats} over vlm.alerts + vlm.feedback.
 */
final class RuleStatsPrinter {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private RuleStatsPrinter() {}

  static void print(
      String bootstrap, Map<String, AlertRule> rules, PrintWriter out, PrintWriter err) {
    List<Alert> alerts = new ArrayList<>();
    TopicSnapshot.read(
        bootstrap,
        Topics.ALERTS,
        Alert.class,
        DEADLINE,
        err,
        (k, a) -> {
          if (a != null) {
            alerts.add(a);
          }
        });
    Map<String, Feedback> feedback = new HashMap<>();
    TopicSnapshot.read(
        bootstrap,
        Topics.FEEDBACK,
        Feedback.class,
        DEADLINE,
        err,
        (k, f) -> {
          if (f == null) {
            feedback.remove(k);
          } else {
            feedback.put(f.getEventId(), f);
          }
        });
    Map<String, RuleFigures> figures =
        RuleFeedbackStats.compute(RuleFeedbackStats.events(alerts), feedback);
    out.println();
    out.printf(
        "%-16s %-6s %-9s %-5s %-10s %-9s %-22s %-22s%n",
        "RULE",
        "EVENTS",
        "CONFIRMED",
        "FALSE",
        "UNREVIEWED",
        "PRECISION",
        "P(YES) CONFIRMED",
        "P(YES) FALSE");
    for (RuleFigures f : figures.values()) {
      out.printf(
          "%-16s %-6d %-9d %-5d %-10d %-9s %-22s %-22s%n",
          f.ruleId(),
          f.events(),
          f.confirmed(),
          f.falses(),
          f.unreviewed(),
          f.precision().map(p -> String.format(Locale.ROOT, "%.2f", p)).orElse("-"),
          dist(f.confirmedPYes()),
          dist(f.falsePYes()));
    }
    for (RuleFigures f : figures.values()) {
      AlertRule rule = rules.get(f.ruleId());
      f.suggestion()
          .ifPresent(
              s ->
                  out.println(
                      f.ruleId()
                          + ": "
                          + s.sentence()
                          + (rule == null
                              ? ""
                              : String.format(
                                  Locale.ROOT, " (threshold now %.2f)", rule.getThreshold()))
                          + "; not applied"));
    }
  }

  private static String dist(Distribution d) {
    if (d.count() == 0) {
      return "-";
    }
    return String.format(
        Locale.ROOT, "%.2f/%.2f/%.2f (n=%d)", d.min(), d.median(), d.max(), d.count());
  }
}
