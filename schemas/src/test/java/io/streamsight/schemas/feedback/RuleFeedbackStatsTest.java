package io.streamsight.schemas.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.feedback.RuleFeedbackStats.EventScore;
import io.streamsight.schemas.feedback.RuleFeedbackStats.RuleFigures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFeedbackStatsTest {
  private final List<EventScore> events = new ArrayList<>();
  private final Map<String, Feedback> feedback = new HashMap<>();

  private void event(String id, double p, FeedbackVerdict verdict) {
    events.add(new EventScore(id, "fence", p));
    if (verdict != null) {
      feedback.put(
          id,
          Feedback.newBuilder()
              .setEventId(id)
              .setRuleId("fence")
              .setCameraId("cam-1")
              .setVerdict(verdict)
              .setCreatedMicros(1)
              .build());
    }
  }

  private RuleFigures fence() {
    return RuleFeedbackStats.compute(events, feedback).get("fence");
  }

  @Test
  void noEventsGiveNoRules() {
    assertTrue(RuleFeedbackStats.compute(List.of(), Map.of()).isEmpty());
  }

  @Test
  void unreviewedEventsHaveNoPrecisionAndNoSuggestion() {
    event("a", 0.9, null);
    event("b", 0.8, null);
    RuleFigures f = fence();
    assertEquals(2, f.events());
    assertEquals(2, f.unreviewed());
    assertTrue(f.precision().isEmpty());
    assertTrue(f.suggestion().isEmpty());
    assertEquals(0, f.confirmedPYes().count());
  }

  @Test
  void allConfirmedGivePrecisionOneAndNoSuggestion() {
    event("a", 0.9, FeedbackVerdict.CORRECT);
    event("b", 0.7, FeedbackVerdict.CORRECT);
    event("c", 0.8, FeedbackVerdict.CORRECT);
    RuleFigures f = fence();
    assertEquals(3, f.confirmed());
    assertEquals(1.0, f.precision().orElseThrow());
    assertEquals(0.7, f.confirmedPYes().min());
    assertEquals(0.8, f.confirmedPYes().median());
    assertEquals(0.9, f.confirmedPYes().max());
    assertTrue(f.suggestion().isEmpty(), "nothing false to drop");
  }

  @Test
  void mixedVerdictsSuggestTheThresholdThatSeparatesThem() {
    double[] confirmed = {0.72, 0.75, 0.8, 0.85, 0.9, 0.91, 0.93, 0.95, 0.99};
    double[] falses = {0.6, 0.62, 0.65, 0.7, 0.8};
    for (int i = 0; i < confirmed.length; i++) {
      event("c" + i, confirmed[i], FeedbackVerdict.CORRECT);
    }
    for (int i = 0; i < falses.length; i++) {
      event("f" + i, falses[i], FeedbackVerdict.FALSE);
    }
    event("u", 0.66, null);
    RuleFigures f = fence();
    assertEquals(15, f.events());
    assertEquals(9, f.confirmed());
    assertEquals(5, f.falses());
    assertEquals(1, f.unreviewed());
    assertEquals(9.0 / 14, f.precision().orElseThrow(), 1e-9);
    assertEquals(0.65, f.falsePYes().median());
    var s = f.suggestion().orElseThrow();
    assertEquals(0.72, s.threshold());
    assertEquals("at 0.72 you would have kept 9/9 confirmed and dropped 4/5 false", s.sentence());
  }

  @Test
  void tiesKeepConfirmedEventsAndPreferTheLowerThreshold() {
    // A false and a confirmed event at the same p(yes): no threshold separates them; dropping the
    // false one would drop the confirmed one too, so the suggestion keeps both.
    event("c", 0.8, FeedbackVerdict.CORRECT);
    event("f", 0.8, FeedbackVerdict.FALSE);
    var s = fence().suggestion().orElseThrow();
    assertEquals(0.8, s.threshold());
    assertEquals(1, s.keptConfirmed());
    assertEquals(0, s.droppedFalse());
    assertEquals(0.5, fence().precision().orElseThrow());
  }

  @Test
  void feedbackForAnExpiredEventStillCountsUnderItsRule() {
    feedback.put(
        "gone",
        Feedback.newBuilder()
            .setEventId("gone")
            .setRuleId("fence")
            .setCameraId("cam-1")
            .setVerdict(FeedbackVerdict.FALSE)
            .setPYes(0.55)
            .setCreatedMicros(1)
            .build());
    RuleFigures f = fence();
    assertEquals(1, f.events());
    assertEquals(1, f.falses());
    assertEquals(0.55, f.falsePYes().max());
  }

  @Test
  void anEventCountsOnceWithItsHighestPYes() {
    var a1 = io.streamsight.schemas.SampleRecords.all().get(5);
    var alert = (io.streamsight.schemas.avro.Alert) a1;
    var later = io.streamsight.schemas.avro.Alert.newBuilder(alert).setPYes(0.99).build();
    var scores = RuleFeedbackStats.events(List.of(alert, later));
    assertEquals(1, scores.size());
    assertEquals(0.99, scores.iterator().next().pYes());
  }
}
