package io.streamsight.vlm.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.embeddings.MiniLmEmbedder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The merge with the model and threshold it ships with: all-MiniLM-L6-v2 at 0.8. */
@Timeout(120)
class TimelineMergerMiniLmIT {
  private static final long S = 1_000_000;
  private static MiniLmEmbedder minilm;
  private static TimelineMerger merger;

  @BeforeAll
  static void load() {
    minilm = MiniLmEmbedder.load(2);
    merger =
        new TimelineMerger(
            new EmbeddingSimilarity(minilm::embed), EmbeddingSimilarity.DEFAULT_THRESHOLD);
  }

  @AfterAll
  static void close() {
    minilm.close();
  }

  private static WindowSummary said(int i, String text) {
    return WindowSummary.described(
        i * 10 * S, (i + 1) * 10 * S, text, new KeyframeMark(i * 10 * S, ""));
  }

  @Test
  void shouldMergeRewordedCaptionsAndSplitOnANewScene() {
    List<TimelineEvent> events =
        merger.merge(
            List.of(
                said(0, "A red square on a white background."),
                said(1, "A red square on a white wall."),
                said(2, "a red square on a white background"),
                said(3, "A man is walking a dog in the park."),
                said(4, "A man walking his dog in the park."),
                WindowSummary.nothingNew(50 * S, 60 * S),
                said(6, "A truck is unloading boxes at the loading dock.")));
    assertEquals(3, events.size(), events.toString());
    assertEquals(0, events.get(0).startMicros());
    assertEquals(30 * S, events.get(0).endMicros());
    assertEquals(60 * S, events.get(1).endMicros());
    assertEquals(3, events.get(1).windows());
    assertEquals(70 * S, events.get(2).endMicros());
  }

  @Test
  void shouldSplitTheFixtureModelsColourNames() {
    // What the colour fixture says about 10 s windows of a red/green/blue video: one colour word
    // per frame sent, a mixed window at a cut.
    List<TimelineEvent> events =
        merger.merge(
            List.of(
                said(0, "red"),
                said(1, "red red"),
                said(2, "red green"),
                said(3, "green green"),
                said(4, "blue"),
                said(5, "blue blue")));
    List<String> texts = events.stream().map(TimelineEvent::text).toList();
    assertEquals(List.of("red", "green green", "blue"), texts, events.toString());
  }
}
