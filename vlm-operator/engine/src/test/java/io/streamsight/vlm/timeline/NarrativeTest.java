package io.streamsight.vlm.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NarrativeTest {
  private static final long S = 1_000_000;

  private static TimelineEvent event(long start, long end, String text) {
    return new TimelineEvent(start * S, end * S, text, new KeyframeMark(start * S, ""), 1);
  }

  @Test
  void promptListsTheTimelineRelativeToItsOriginThenAsks() {
    long origin = 1_700_000_000L * S;
    String p =
        Narrative.prompt(
            List.of(
                event(1_700_000_000L, 1_700_000_020L, "red"),
                event(1_700_000_020L, 1_700_003_700L, "green")),
            origin);
    assertEquals(
        "Here is a timeline of what a video shows:\n"
            + "00:00\u201300:20 red\n"
            + "00:20\u20131:01:40 green\n"
            + "Summarise what happens in the video in two sentences.",
        p);
  }

  @Test
  void requestIsTextOnlyAndLongTimelinesAreCut() {
    List<TimelineEvent> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(event(i * 10L, i * 10L + 10, "scene " + i));
    }
    VlmRequest r = Narrative.request(many, 0, 50);
    assertEquals(Task.DESCRIBE, r.task());
    assertTrue(r.images().isEmpty());
    assertEquals(50, r.options().maxNewTokens());
    assertTrue(r.text().contains("scene 59\n(40 more events)\n"), r.text());
    assertNull(Narrative.request(List.of(), 0, 50));
  }

  @Test
  void clockRoundsToSecondsAndShowsHoursFromAnHourOn() {
    assertEquals("00:00", Timestamps.clock(0));
    assertEquals("00:20", Timestamps.clock(19_600_000));
    assertEquals("01:00", Timestamps.clock(59_999_999));
    assertEquals("1:00:00", Timestamps.clock(3600 * S));
    assertEquals("00:00", Timestamps.clock(-5));
  }
}
