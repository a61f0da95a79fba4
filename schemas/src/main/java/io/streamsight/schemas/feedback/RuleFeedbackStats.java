package io.streamsight.schemas.feedback;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-rule figures from operator feedback: events, confirmed, false, unreviewed, precision, the
 * p(yes) of confirmed vs false events, and a threshold suggestion. Pure (no I/O): the CLI's {@code
 * rules list --stats} and the console's rules page both feed it what they read from {@code
 * vlm.alerts} and {@code vlm.feedback}. The suggestion is shown, never applied.
 */
public final class RuleFeedbackStats {
  private RuleFeedbackStats() {}

  /** One alert event as the figures see it: its rule and its highest p(yes). */
  public record EventScore(String eventId, String ruleId, double pYes) {}

  /** min / median / max of some p(yes) values; {@code count == 0} when there are none. */
  public record Distribution(int count, double min, double median, double max) {
    static Distribution of(List<Double> values) {
      if (values.isEmpty()) {
        return new Distribution(0, Double.NaN, Double.NaN, Double.NaN);
      }
      List<Double> s = new ArrayList<>(values);
      s.sort(null);
      int n = s.size();
      double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
      return new Distribution(n, s.get(0), median, s.get(n - 1));
    }
  }

  /**
   * At {@code threshold} (alert when p(yes) >= threshold) the reviewed events would have kept
   * {@code keptConfirmed} of {@code confirmed} and dropped {@code droppedFalse} of {@code falses}.
   */
  public record Suggestion(
      double threshold, int keptConfirmed, int confirmed, int droppedFalse, int falses) {
    /** e.g. "at 0.72 you would have kept 9/9 confirmed and dropped 4/5 false". */
    public String sentence() {
      return String.format(
          java.util.Locale.ROOT,
          "at %s you would have kept %d/%d confirmed and dropped %d/%d false",
          trim(threshold),
          keptConfirmed,
          confirmed,
          droppedFalse,
          falses);
    }

    private static String trim(double t) {
      String s = String.format(java.util.Locale.ROOT, "%.3f", t);
      return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
  }

  /** The figures of one rule. */
  public record RuleFigures(
      String ruleId,
      int events,
      int confirmed,
      int falses,
      int unreviewed,
      Distribution confirmedPYes,
      Distribution falsePYes,
      Optional<Suggestion> suggestion) {
    /** confirmed / (confirmed + false); empty when nothing was reviewed. */
    public Optional<Double> precision() {
      int reviewed = confirmed + falses;
      return reviewed == 0 ? Optional.empty() : Optional.of((double) confirmed / reviewed);
    }
  }

  /**
   * The highest p(yes) of each event among its records (STARTED, UPDATED, ENDED or phase-less), by
   * event id in first-seen order.
   */
  public static Collection<EventScore> events(Iterable<Alert> alerts) {
    Map<String, EventScore> byId = new LinkedHashMap<>();
    for (Alert a : alerts) {
      double p = a.getPeakPYes() != null ? Math.max(a.getPeakPYes(), a.getPYes()) : a.getPYes();
      byId.merge(
          a.getAlertId(),
          new EventScore(a.getAlertId(), a.getRuleId(), p),
          (x, y) -> x.pYes() >= y.pYes() ? x : y);
    }
    return byId.values();
  }

  /**
   * Figures per rule id (sorted). An event counts once; its latest feedback (by event id) is its
   * verdict. Feedback for an event no longer on {@code vlm.alerts} (retention) still counts, under
   * the rule and p(yes) the feedback recorded; without a p(yes) it is left out of the distributions
   * and the suggestion.
   */
  public static Map<String, RuleFigures> compute(
      Collection<EventScore> events, Map<String, Feedback> feedbackByEvent) {
    Map<String, List<EventScore>> byRule = new TreeMap<>();
    Map<String, EventScore> known = new LinkedHashMap<>();
    for (EventScore e : events) {
      known.putIfAbsent(e.eventId(), e);
    }
    for (Feedback f : feedbackByEvent.values()) {
      if (!known.containsKey(f.getEventId()) && !f.getRuleId().isEmpty()) {
        double p = f.getPYes() == null ? Double.NaN : f.getPYes();
        known.put(f.getEventId(), new EventScore(f.getEventId(), f.getRuleId(), p));
      }
    }
    for (EventScore e : known.values()) {
      byRule.computeIfAbsent(e.ruleId(), k -> new ArrayList<>()).add(e);
    }
    Map<String, RuleFigures> out = new TreeMap<>();
    byRule.forEach((rule, list) -> out.put(rule, figures(rule, list, feedbackByEvent)));
    return out;
  }

  private static RuleFigures figures(
      String rule, List<EventScore> events, Map<String, Feedback> feedback) {
    List<Double> confirmed = new ArrayList<>();
    List<Double> falses = new ArrayList<>();
    int nConfirmed = 0;
    int nFalse = 0;
    for (EventScore e : events) {
      Feedback f = feedback.get(e.eventId());
      if (f == null) {
        continue;
      }
      double p = Double.isNaN(e.pYes()) && f.getPYes() != null ? f.getPYes() : e.pYes();
      if (f.getVerdict() == FeedbackVerdict.CORRECT) {
        nConfirmed++;
        if (!Double.isNaN(p)) {
          confirmed.add(p);
        }
      } else {
        nFalse++;
        if (!Double.isNaN(p)) {
          falses.add(p);
        }
      }
    }
    return new RuleFigures(
        rule,
        events.size(),
        nConfirmed,
        nFalse,
        events.size() - nConfirmed - nFalse,
        Distribution.of(confirmed),
        Distribution.of(falses),
        suggest(confirmed, falses));
  }

  /**
   * The threshold among the reviewed p(yes) values that keeps the most confirmed plus drops the
   * most false events; on a tie the one keeping more confirmed (missing a real event costs more
   * than a false alert), then the lower one. Needs at least one confirmed and one false event.
   */
  static Optional<Suggestion> suggest(List<Double> confirmed, List<Double> falses) {
    if (confirmed.isEmpty() || falses.isEmpty()) {
      return Optional.empty();
    }
    TreeSet<Double> candidates = new TreeSet<>(confirmed);
    candidates.addAll(falses);
    Suggestion best = null;
    for (double t : candidates) {
      int kept = (int) confirmed.stream().filter(p -> p >= t).count();
      int dropped = (int) falses.stream().filter(p -> p < t).count();
      if (best == null
          || kept + dropped > best.keptConfirmed() + best.droppedFalse()
          || (kept + dropped == best.keptConfirmed() + best.droppedFalse()
              && kept > best.keptConfirmed())) {
        best = new Suggestion(t, kept, confirmed.size(), dropped, falses.size());
      }
    }
    return Optional.of(best);
  }
}
