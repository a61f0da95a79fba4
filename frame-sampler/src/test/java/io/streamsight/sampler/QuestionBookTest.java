package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.sampler.QuestionBook.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bounded, expiring camera → pending question map, on a test clock. */
@Timeout(10)
class QuestionBookTest {
  private static final long SEC = 1_000_000L;
  private static final long T0 = 1_700_000_000L * SEC;

  private final AtomicLong now = new AtomicLong(T0);

  private QuestionBook book(int maxCameras) {
    return new QuestionBook(
        new QuestionSettings(true, Duration.ofSeconds(10), Duration.ofSeconds(1), maxCameras),
        now::get);
  }

  @Test
  void aFreshFrameTakesTheQuestionOnce() {
    QuestionBook b = book(10);
    assertEquals(Outcome.PENDING, b.ask("cam-1", T0, null));
    assertTrue(b.takeFor("cam-1", T0 + SEC / 10));
    assertFalse(b.takeFor("cam-1", T0 + SEC / 5), "taken already");
    assertEquals(0, b.size());
  }

  @Test
  void aFrameUpToMaxFrameAgeBeforeTheQuestionAnswersItAnOlderOneDoesNot() {
    QuestionBook b = book(10);
    b.ask("cam-1", T0, null);
    assertFalse(b.takeFor("cam-1", T0 - SEC - 1), "a backlog frame");
    assertFalse(b.takeFor("cam-1", T0 - 5 * SEC), "a backlog frame");
    assertTrue(b.takeFor("cam-1", T0 - SEC), "exactly maxFrameAge older");
  }

  @Test
  void onlyTheAskedCameraTakesIt() {
    QuestionBook b = book(10);
    b.ask("cam-2", T0, null);
    assertFalse(b.takeFor("cam-1", T0 + SEC));
    assertTrue(b.takeFor("cam-2", T0 + SEC));
  }

  @Test
  void severalQuestionsAboutOneCameraWaitForAFrameFreshForTheNewest() {
    QuestionBook b = book(10);
    b.ask("cam-1", T0, null);
    now.set(T0 + 3 * SEC);
    b.ask("cam-1", T0 + 3 * SEC, null);
    assertEquals(1, b.size());
    assertFalse(b.takeFor("cam-1", T0 + SEC), "fresh for the first question only");
    assertTrue(b.takeFor("cam-1", T0 + 3 * SEC));
    assertFalse(b.takeFor("cam-1", T0 + 4 * SEC), "one keyframe answers both");
  }

  @Test
  void aQuestionExpiresAfterPendingForOrAtItsDeadline() {
    QuestionBook b = book(10);
    b.ask("cam-1", T0, null);
    b.ask("cam-2", T0, T0 + 2 * SEC);
    now.set(T0 + 2 * SEC);
    assertFalse(b.takeFor("cam-2", T0 + 2 * SEC), "past its deadline");
    now.set(T0 + 10 * SEC);
    assertFalse(b.takeFor("cam-1", T0 + 10 * SEC), "pending for 10 s only");
    assertEquals(0, b.size(), "an expired question is dropped when met");
  }

  @Test
  void aQuestionAlreadyExpiredIsNotKept() {
    QuestionBook b = book(10);
    assertEquals(Outcome.EXPIRED, b.ask("cam-1", T0 - 11 * SEC, null));
    assertEquals(Outcome.EXPIRED, b.ask("cam-2", T0, T0 - 1));
    assertEquals(0, b.size());
  }

  @Test
  void aCreationTimeAheadOfTheClockDoesNotKeepTheQuestionLonger() {
    QuestionBook b = book(10);
    b.ask("cam-1", T0 + 3600 * SEC, null); // the asker's clock is an hour ahead
    now.set(T0 + 10 * SEC);
    assertEquals(1, b.purgeExpired());
  }

  @Test
  void atMostMaxCamerasArePendingExpiredOnesMakeRoom() {
    QuestionBook b = book(2);
    assertEquals(Outcome.PENDING, b.ask("cam-1", T0, null));
    now.set(T0 + 5 * SEC);
    assertEquals(Outcome.PENDING, b.ask("cam-2", T0 + 5 * SEC, null));
    assertEquals(Outcome.FULL, b.ask("cam-3", T0 + 5 * SEC, null));
    assertEquals(Outcome.PENDING, b.ask("cam-2", T0 + 6 * SEC, null), "a known camera fits");
    assertEquals(2, b.size());
    now.set(T0 + 10 * SEC); // cam-1's question expires
    assertEquals(Outcome.PENDING, b.ask("cam-3", T0 + 10 * SEC, null));
    assertEquals(2, b.size());
    assertFalse(b.takeFor("cam-1", T0 + 10 * SEC));
    assertTrue(b.takeFor("cam-3", T0 + 10 * SEC));
  }

  @Test
  void purgeDropsOnlyExpiredQuestions() {
    QuestionBook b = book(10);
    b.ask("cam-1", T0, null);
    now.set(T0 + 5 * SEC);
    b.ask("cam-2", T0 + 5 * SEC, null);
    now.set(T0 + 11 * SEC);
    assertEquals(1, b.purgeExpired());
    assertTrue(b.takeFor("cam-2", T0 + 11 * SEC));
  }
}
