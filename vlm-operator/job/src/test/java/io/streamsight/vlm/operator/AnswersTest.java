package io.streamsight.vlm.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.vlm.operator.types.CallTimings;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.InferenceOutcome;
import io.streamsight.vlm.operator.types.InferenceTask;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.TaskFinish;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AnswersTest {
  /** Asked at 50 s (capture-time clock). */
  private static final QueryIn ASKED_AT_50S =
      new QueryIn("q1", "cam-1", "What colour?", 50_000_000, 0, null);

  /** A window so far of cam-1 whose newest frame was captured at {@code newestMillis}. */
  private static WindowFrames window(long newestMillis) {
    return new WindowFrames(
        "cam-1",
        40_000_000,
        60_000_000,
        new FrameRef[] {
          Frames.frame("cam-1", newestMillis - 500, 1f), Frames.frame("cam-1", newestMillis, 1f)
        },
        false);
  }

  private static Answer answer(
      WindowFrames w, boolean stale, String text, TaskFinish finish, String error) {
    InferenceTask task = InferenceTask.question(ASKED_AT_50S, w, stale);
    return Answers.of(
        new InferenceOutcome(
            task, "m", text, finish, new double[0], CallTimings.NONE, error, 51_000_000));
  }

  @Test
  void aFreshFrameGivesAnAnsweredAnswerWithTheFramesAndTheirAge() {
    Answer a = answer(window(50_300), false, "yellow yellow", TaskFinish.STOP, null);
    assertEquals(AnswerStatus.ANSWERED, a.getStatus());
    assertEquals("yellow yellow", a.getText());
    assertEquals(50_000_000L, a.getAskedMicros());
    assertEquals(51_000_000L, a.getAnsweredMicros());
    assertEquals(-300_000L, a.getFrameAgeMicros(), "captured 0.3 s after the question");
    assertEquals(
        List.of(49_800_000L, 50_300_000L),
        a.getKeyframes().stream().map(k -> k.getCaptureTimeMicros()).toList());
    assertEquals(40_000_000L, a.getWindowStartMicros());
  }

  @Test
  void aStaleWindowGivesAnOfflineAnswerThatSaysHowOldItsFrameIs() {
    Answer a = answer(window(8_000), true, "red red", TaskFinish.STOP, null);
    assertEquals(AnswerStatus.OFFLINE, a.getStatus());
    assertEquals(42_000_000L, a.getFrameAgeMicros());
    assertTrue(a.getText().contains("42.0 s before the question"), a.getText());
    assertTrue(a.getText().endsWith("red red"), "and still the model's answer: " + a.getText());
  }

  @Test
  void everyOutcomeHasItsOwnStatus() {
    Answer unknown = answer(null, false, "", TaskFinish.UNKNOWN_CAMERA, null);
    assertEquals(AnswerStatus.UNKNOWN_CAMERA, unknown.getStatus());
    assertTrue(unknown.getText().contains("cam-1"), unknown.getText());
    assertNull(unknown.getFrameAgeMicros(), "no frame was used");
    assertEquals(List.of(), unknown.getKeyframes());

    Answer expired = answer(window(8_000), true, "", TaskFinish.EXPIRED, null);
    assertEquals(AnswerStatus.EXPIRED, expired.getStatus());
    Answer failed = answer(window(50_000), false, "", TaskFinish.ERROR, "timed out after 120s");
    assertEquals(AnswerStatus.ERROR, failed.getStatus());
    assertTrue(failed.getText().contains("timed out after 120s"), failed.getText());
    Answer answered = answer(window(50_000), false, "blue", TaskFinish.STOP, null);
    Answer offline = answer(window(8_000), true, "blue", TaskFinish.STOP, null);

    Set<AnswerStatus> all = EnumSet.noneOf(AnswerStatus.class);
    for (Answer a : List.of(unknown, expired, failed, answered, offline)) {
      all.add(a.getStatus());
    }
    assertEquals(5, all.size(), "five outcomes, five statuses: " + all);
  }
}
