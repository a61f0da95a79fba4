package io.streamsight.vlm.operator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.KeyframeMark;
import io.streamsight.vlm.timeline.TimelineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The text-only request of a question about the past and the Answer it maps to. */
@Timeout(30)
class PastAnswersTest {
  private static final long S = 1_000_000;
  private static final QueryIn Q =
      new QueryIn("q1", "dock", "What happened?", 1_000 * S, 0, 600 * S, null);

  private static TimelineEvent event(long from, long to, String text, long offset) {
    return new TimelineEvent(
        from * S,
        to * S,
        text,
        new KeyframeMark(from * S + 1, "cameras.keyframes/0/" + offset + "/3"),
        1);
  }

  private static PastQuestion twoEvents() {
    return new PastQuestion(
        Q,
        new TimelineEvent[] {event(400, 700, "red", 11), event(700, 990, "yellow", 12)},
        990 * S);
  }

  @Test
  void thePromptIsTheEventsWithTimesInTheLookBackThenTheQuestionWithoutImages() {
    VlmRequest r = PastAnswers.request(twoEvents(), 48);
    assertTrue(r.images().isEmpty(), "text only");
    assertTrue(r.text().contains("camera dock showed in the last 10 min"), r.text());
    assertTrue(r.text().contains("00:00\u201305:00 red\n05:00\u201309:50 yellow\n"), r.text());
    assertTrue(r.text().endsWith("What happened?"), r.text());
    assertNull(PastAnswers.request(new PastQuestion(Q, new TimelineEvent[0], 0), 48));
  }

  @Test
  void anAnswerCarriesOneKeyframePerEventTheSpanAndTheTimelineAfterTheModelsText() {
    Answer a = PastAnswers.answered(twoEvents(), " No ", null, "fixture", null, 1_001 * S);
    assertEquals(AnswerStatus.ANSWERED, a.getStatus());
    assertEquals("No\nTimeline: 00:00\u201305:00 red; 05:00\u201309:50 yellow", a.getText());
    assertEquals(400 * S, a.getWindowStartMicros());
    assertEquals(990 * S, a.getWindowEndMicros());
    assertEquals(
        java.util.List.of(11L, 12L),
        a.getKeyframes().stream().map(KeyframeRef::getOffset).toList());
    assertEquals(1_000 * S - (700 * S + 1), a.getFrameAgeMicros(), "newest keyframe used");
    assertEquals(1_000 * S, a.getAskedMicros());
    assertEquals("fixture", a.getModelId());
  }

  @Test
  void failuresExpiryNothingRecordedAndDigestsOffAreDistinct() {
    Answer failed = PastAnswers.answered(twoEvents(), null, "boom", null, null, 1);
    assertEquals(AnswerStatus.ERROR, failed.getStatus());
    assertTrue(failed.getText().startsWith("Inference failed: boom"), failed.getText());

    assertEquals(AnswerStatus.EXPIRED, PastAnswers.expired(twoEvents(), 1).getStatus());

    Answer none = PastAnswers.nothingRecorded(new PastQuestion(Q, new TimelineEvent[0], 0), 1);
    assertEquals(AnswerStatus.ANSWERED, none.getStatus());
    assertEquals("Nothing was recorded for camera 'dock' in the last 10 min.", none.getText());
    assertTrue(none.getKeyframes().isEmpty());

    Answer off = PastAnswers.digestsOff(Q, 1);
    assertEquals(AnswerStatus.ERROR, off.getStatus());
    assertTrue(off.getText().contains("digests.enabled: false"), off.getText());
  }

  @Test
  void spansReadAsPeopleSayThem() {
    assertEquals("10 min", PastAnswers.span(600 * S));
    assertEquals("2 h", PastAnswers.span(7200 * S));
    assertEquals("45 s", PastAnswers.span(45 * S));
  }
}
