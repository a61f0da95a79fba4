package io.streamsight.vlm.operator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.vlm.operator.config.DigestConfig.Similarity;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.TimelineEvent;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The keyed step of questions about the past: which events a question gets, and when. */
@Timeout(30)
class PastQuestionsTest {
  private static final long T0 = 1_699_999_200L * 1_000_000;
  private static final long WALL = T0 / 1000 + 3_600_000;
  private static final String CAM = "cam-1";

  private static KeyedTwoInputStreamOperatorTestHarness<String, DigestInput, QueryIn, PastQuestion>
      harness() throws Exception {
    OperatorConfig d = OperatorConfig.defaults();
    OperatorConfig config = d.withDigests(d.digests().withSimilarity(Similarity.WORDS));
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new PastQuestions(config)),
            (KeySelector<DigestInput, String>) DigestInput::cameraId,
            (KeySelector<QueryIn, String>) QueryIn::cameraId,
            Types.STRING);
    h.setProcessingTime(WALL);
    h.setStateTtlProcessingTime(WALL);
    h.open();
    return h;
  }

  private static long at(double seconds) {
    return T0 + Math.round(seconds * 1_000_000);
  }

  private static void window(
      KeyedTwoInputStreamOperatorTestHarness<String, DigestInput, QueryIn, PastQuestion> h,
      double from,
      double to,
      String text)
      throws Exception {
    h.processElement1(
        new StreamRecord<>(DigestInput.of(DigestFunctionTest.summary(CAM, from, to, text))));
  }

  private static QueryIn ask(String id, String camera, double atSeconds, double lookbackSeconds) {
    return new QueryIn(
        id,
        camera,
        "What happened?",
        at(atSeconds),
        0,
        Math.round(lookbackSeconds * 1_000_000),
        null);
  }

  private static List<PastQuestion> out(
      KeyedTwoInputStreamOperatorTestHarness<String, DigestInput, QueryIn, PastQuestion> h) {
    return h.extractOutputValues();
  }

  private static List<String> texts(PastQuestion p) {
    return Arrays.stream(p.events()).map(TimelineEvent::text).toList();
  }

  @Test
  void aQuestionGetsTheMergedEventsInsideItsLookBackClippedToIt() throws Exception {
    try (var h = harness()) {
      window(h, 0, 10, "red");
      window(h, 10, 20, "green");
      window(h, 20, 25, "green");
      window(h, 25, 30, "blue");
      // Summarised up to its time: taken up at once.
      h.processElement2(new StreamRecord<>(ask("q1", CAM, 30, 15)));
      assertEquals(1, out(h).size());
      PastQuestion p = out(h).get(0);
      assertEquals(List.of("green", "blue"), texts(p), "red ended before the look back");
      assertEquals(at(15), p.events()[0].startMicros(), "clipped to the look back");
      assertEquals(at(25), p.events()[0].endMicros(), "the two green windows are one event");
      assertEquals(at(30), p.events()[1].endMicros());
      assertEquals(at(15), p.fromMicros());
    }
  }

  @Test
  void aQuestionAheadOfTheSummariesWaitsForThemThenAtMostFreshFrameWait() throws Exception {
    try (var h = harness()) {
      window(h, 0, 10, "red");
      h.processElement2(new StreamRecord<>(ask("q1", CAM, 20, 60)));
      h.processElement2(new StreamRecord<>(ask("q2", CAM, 40, 60)));
      assertTrue(out(h).isEmpty(), "the summary of the moment asked about is still to come");
      window(h, 10, 20, "blue");
      assertEquals(1, out(h).size());
      assertEquals(List.of("red", "blue"), texts(out(h).get(0)));
      // q2's summaries never come: after ask.freshFrameWait (1 s) it goes with what there is.
      h.setProcessingTime(WALL + 1_000);
      assertEquals(2, out(h).size());
      assertEquals("q2", out(h).get(1).query().queryId());
      assertEquals(List.of("red", "blue"), texts(out(h).get(1)));
      assertEquals(at(20), out(h).get(1).summarisedUpToMicros());
    }
  }

  @Test
  void noEventsInTheLookBackOrNoCameraGivesAnEmptyTimelineAndNothingRecorded() throws Exception {
    try (var h = harness()) {
      window(h, 0, 10, "red");
      h.processElement2(new StreamRecord<>(ask("q-late", CAM, 700, 60)));
      h.processElement2(new StreamRecord<>(ask("q-none", "cam-x", 10, 600)));
      // End of a bounded input: waiting questions go at once.
      h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
      assertEquals(2, out(h).size());
      for (PastQuestion p : out(h)) {
        assertEquals(0, p.events().length, p.query().queryId());
        Answer a = PastAnswers.nothingRecorded(p, 1);
        assertEquals(AnswerStatus.ANSWERED, a.getStatus());
        assertTrue(a.getText().startsWith("Nothing was recorded for camera"), a.getText());
      }
    }
  }

  @Test
  void theSameQuestionDeliveredTwiceWhileItWaitsIsAnsweredOnce() throws Exception {
    try (var h = harness()) {
      h.processElement2(new StreamRecord<>(ask("q1", CAM, 20, 60)));
      h.processElement2(new StreamRecord<>(ask("q1", CAM, 20, 60)));
      window(h, 0, 20, "red");
      assertEquals(1, out(h).size());
    }
  }

  @Test
  void aLongGapEndsTheEventAndOldEventsArePruned() {
    CameraHistory hist = new CameraHistory();
    var merger =
        new io.streamsight.vlm.timeline.TimelineMerger(
            new io.streamsight.vlm.timeline.WordOverlapSimilarity(), 0.5);
    long fold = 60_000_000;
    PastQuestions.add(
        merger, fold, hist, DigestInput.of(DigestFunctionTest.summary(CAM, 0, 10, "red")));
    PastQuestions.add(
        merger, fold, hist, DigestInput.of(DigestFunctionTest.summary(CAM, 500, 510, "red")));
    assertEquals(1, hist.closed.length, "the camera was away: a new event after the gap");
    assertEquals(at(10), hist.closed[0].endMicros());
    double dayLater = PastQuestions.KEEP_MICROS / 1e6 + 290; // keeps from 300 s on
    PastQuestions.add(
        merger,
        fold,
        hist,
        DigestInput.of(DigestFunctionTest.summary(CAM, dayLater, dayLater + 10, "blue")));
    assertEquals(1, hist.closed.length, "the first red event is older than the history keeps");
    assertEquals(at(510), hist.closed[0].endMicros());
  }
}
