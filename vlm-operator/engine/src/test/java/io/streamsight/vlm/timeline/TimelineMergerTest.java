package io.streamsight.vlm.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge rules, driven window by window as the operator and the CLI do. */
class TimelineMergerTest {
  private static final long S = 1_000_000;
  private final TimelineMerger merger =
      new TimelineMerger(new WordOverlapSimilarity(), WordOverlapSimilarity.DEFAULT_THRESHOLD);

  private static WindowSummary said(int startSec, String text) {
    return WindowSummary.described(
        startSec * S,
        (startSec + 10) * S,
        text,
        new KeyframeMark(startSec * S + 1, "kf@" + startSec));
  }

  private static WindowSummary quiet(int startSec) {
    return WindowSummary.nothingNew(startSec * S, (startSec + 10) * S);
  }

  private static void assertEvent(
      TimelineEvent e, int startSec, int endSec, String text, int windows) {
    assertEquals(startSec * S, e.startMicros(), "start of " + e);
    assertEquals(endSec * S, e.endMicros(), "end of " + e);
    assertEquals(text, e.text());
    assertEquals(windows, e.windows(), "windows of " + e);
  }

  @Test
  void shouldMergeWindowsThatSayTheSameThing() {
    List<TimelineEvent> events =
        merger.merge(
            List.of(
                said(0, "A red car is parked by the gate."),
                said(10, "a red car parked by the gate"),
                said(20, "A red car is parked by the gate")));
    assertEquals(1, events.size());
    assertEvent(events.get(0), 0, 30, "A red car is parked by the gate.", 3);
  }

  @Test
  void shouldSplitWhereTheSceneChangesWithExactBoundaries() {
    List<TimelineEvent> events =
        merger.merge(
            List.of(
                said(0, "red red"),
                said(10, "red"),
                said(20, "green green"),
                said(30, "green"),
                said(40, "blue blue"),
                said(50, "blue")));
    assertEquals(3, events.size());
    assertEvent(events.get(0), 0, 20, "red red", 2);
    assertEvent(events.get(1), 20, 40, "green green", 2);
    assertEvent(events.get(2), 40, 60, "blue blue", 2);
  }

  @Test
  void shouldFoldNothingNewWindowsIntoTheEventTheyContinue() {
    List<TimelineEvent> events =
        merger.merge(List.of(said(0, "red"), quiet(10), said(20, "green"), quiet(30), quiet(40)));
    assertEquals(2, events.size());
    assertEvent(events.get(0), 0, 20, "red", 2);
    assertEvent(events.get(1), 20, 50, "green", 3);
  }

  @Test
  void shouldMakeAStaticHourOneLine() {
    List<WindowSummary> hour = new ArrayList<>();
    for (int t = 0; t < 3600; t += 10) {
      // The sampler's max-gap keyframe every 30 s gets the same description; the rest is quiet.
      hour.add(t % 30 == 0 ? said(t, "An empty corridor.") : quiet(t));
    }
    List<TimelineEvent> events = merger.merge(hour);
    assertEquals(1, events.size());
    assertEvent(events.get(0), 0, 3600, "An empty corridor.", 360);
  }

  @Test
  void shouldKeepTheKeyframeOfTheWindowThatOpenedTheEvent() {
    List<TimelineEvent> events =
        merger.merge(List.of(said(0, "red"), said(10, "red"), said(20, "green")));
    assertEquals("kf@0", events.get(0).keyframe().ref());
    assertEquals(1 + 0 * S, events.get(0).keyframe().captureMicros());
    assertEquals("kf@20", events.get(1).keyframe().ref());
  }

  @Test
  void shouldLetTheFirstDescriptionAdoptLeadingNothingNewWindows() {
    TimelineMerger.Step s1 = merger.step(null, quiet(0));
    assertTrue(s1.open().isPlaceholder());
    assertNull(s1.closed());
    TimelineMerger.Step s2 = merger.step(s1.open(), said(10, "red"));
    assertNull(s2.closed());
    assertEvent(s2.open(), 0, 20, "red", 2);
    assertEquals("kf@10", s2.open().keyframe().ref());
  }

  @Test
  void shouldGiveNoEventsWhenNothingWasEverDescribed() {
    assertEquals(List.of(), merger.merge(List.of(quiet(0), quiet(10))));
    assertEquals(List.of(), merger.merge(List.of()));
  }

  @Test
  void shouldEndAnEventAtItsLastWindowWhenAGapFollows() {
    // 10-30 s: no window at all (e.g. the camera was offline); nothing is claimed about it.
    List<TimelineEvent> events = merger.merge(List.of(said(0, "red"), said(30, "green")));
    assertEvent(events.get(0), 0, 10, "red", 1);
    assertEvent(events.get(1), 30, 40, "green", 1);
  }

  @Test
  void shouldBridgeAGapWhenTheSceneIsTheSameOnBothSides() {
    List<TimelineEvent> events = merger.merge(List.of(said(0, "red"), said(30, "red")));
    assertEquals(1, events.size());
    assertEvent(events.get(0), 0, 40, "red", 2);
  }

  @Test
  void shouldCutOverlappingSlidingWindowsAtTheNewWindowsStart() {
    WindowSummary a = WindowSummary.described(0, 10 * S, "red", new KeyframeMark(0, ""));
    WindowSummary b = WindowSummary.described(5 * S, 15 * S, "green", new KeyframeMark(6 * S, ""));
    TimelineMerger.Step s = merger.step(merger.step(null, a).open(), b);
    assertEquals(5 * S, s.closed().endMicros());
    assertEquals(5 * S, s.open().startMicros());
  }

  @Test
  void shouldCompareWithTheOpeningTextSoADriftSplits() {
    // Each window shares half its words with the previous one, but the third shares none with
    // the first: comparing with the previous window would chain them into one event.
    List<TimelineEvent> events =
        merger.merge(
            List.of(
                said(0, "alpha beta gamma delta"),
                said(10, "gamma delta epsilon zeta alpha beta"),
                said(20, "epsilon zeta eta theta")));
    assertEquals(2, events.size());
    assertEvent(events.get(0), 0, 20, "alpha beta gamma delta", 2);
  }

  @Test
  void shouldRefuseWindowsOutOfOrder() {
    TimelineEvent open = merger.step(null, said(20, "red")).open();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> merger.step(open, said(10, "red")));
    assertTrue(e.getMessage().contains("in order"), e.getMessage());
  }

  @Test
  void shouldRefuseAThresholdOutsideZeroToOne() {
    assertThrows(
        IllegalArgumentException.class, () -> new TimelineMerger(new WordOverlapSimilarity(), 0));
    assertThrows(
        IllegalArgumentException.class, () -> new TimelineMerger(new WordOverlapSimilarity(), 1.5));
  }

  @Test
  void shouldTreatABlankDescriptionAsNothingNew() {
    WindowSummary blank = WindowSummary.described(0, 10 * S, "  ", new KeyframeMark(0, "x"));
    assertTrue(blank.isNothingNew());
    assertNull(blank.keyframe());
  }
}
