package io.streamsight.console.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.console.ConsoleConfig;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStateTest {
  private static final ConsoleConfig SMALL =
      new ConsoleConfig(
          "k:9092",
          "127.0.0.1",
          0,
          Path.of("."),
          null,
          3,
          5,
          10,
          2,
          1 << 20,
          4,
          io.streamsight.console.ConsoleServing.defaults());

  private static Summary summary(String cam, long start) {
    return Summary.newBuilder()
        .setCameraId(cam)
        .setWindowStartMicros(start)
        .setWindowEndMicros(start + 1)
        .setKeyframes(List.of())
        .setText("t" + start)
        .setModelId("m")
        .setTimings(InferenceTimings.newBuilder().build())
        .build();
  }

  @Test
  void shouldKeepBoundedListsNewestFirst() {
    LiveState s = new LiveState(SMALL);
    List<LiveEvent> seen = new ArrayList<>();
    s.addListener(seen::add);
    for (int i = 0; i < 20; i++) {
      s.apply(Topics.SUMMARIES.name(), 0, i, "cam-a", summary("cam-a", i));
    }
    assertEquals(20, seen.size());
    assertEquals(5, s.snapshot().path("feed").size());
    assertEquals("t19", s.snapshot().path("feed").get(0).path("record").path("text").asText());
    assertEquals(3, s.camera("cam-a", 10).path("summaries").size());
  }

  @Test
  void shouldStopTrackingNewCamerasAtTheLimitAndCountThem() {
    LiveState s = new LiveState(SMALL);
    for (String cam : List.of("a", "b", "c", "d")) {
      s.apply(Topics.SUMMARIES.name(), 0, 0, cam, summary(cam, 1));
    }
    assertEquals(2, s.cameraCount());
    assertEquals(2, s.camerasRefused());
    assertNull(s.camera("c", 10));
  }

  @Test
  void shouldReplayRulesAndForgetThemOnTombstones() {
    LiveState s = new LiveState(SMALL);
    AlertRule r = AlertRule.newBuilder().setId("r1").setCameraGlob("*").setQuestion("Q?").build();
    s.apply(Topics.RULES.name(), 0, 0, "r1", r);
    assertEquals("Q?", s.rule("r1").path("question").asText());
    s.apply(Topics.RULES.name(), 0, 1, "r1", null);
    assertNull(s.rule("r1"));
    assertEquals(0, s.rules().size());
  }

  @Test
  void shouldDropAListenerThatRefuses() {
    LiveState s = new LiveState(SMALL);
    int[] calls = {0};
    s.addListener(
        e -> {
          calls[0]++;
          return false;
        });
    s.apply(Topics.SUMMARIES.name(), 0, 0, "a", summary("a", 1));
    s.apply(Topics.SUMMARIES.name(), 0, 1, "a", summary("a", 2));
    assertEquals(1, calls[0]);
  }

  /** Counts as large as the defaults, and a small byte budget: 128 KiB, records up to 8 KiB. */
  private static final ConsoleConfig BYTES =
      new ConsoleConfig(
          "k:9092",
          "127.0.0.1",
          0,
          Path.of("."),
          null,
          100,
          200,
          2000,
          1000,
          1 << 20,
          4,
          io.streamsight.schemas.config.ConfigBinder.load(
              "test",
              "liveStateBytes: 131072\nmaxRecordBytes: 8192\n",
              io.streamsight.console.ConsoleServing.class,
              c -> c));

  private static Summary summaryOf(String cam, long start, int textChars) {
    Summary s = summary(cam, start);
    s.setText("t" + start + " " + "x".repeat(textChars));
    return s;
  }

  @Test
  void fiftyCamerasOfLargeSummariesStayWithinTheByteBudget() {
    LiveState s = new LiveState(BYTES);
    // 50 cameras x 100 summaries of ~6 KB: 30 MB by the count bounds alone.
    for (int i = 0; i < 100; i++) {
      for (int c = 0; c < 50; c++) {
        s.apply(
            Topics.SUMMARIES.name(), 0, i * 50L + c, "cam-" + c, summaryOf("cam-" + c, i, 6000));
      }
    }
    assertTrue(s.retainedBytes() <= 131072, "retained " + s.retainedBytes());
    assertTrue(
        s.retainedBytes() > 100_000, "the budget is used, not emptied: " + s.retainedBytes());
    assertTrue(s.evictedForBytes() > 4000, "evicted " + s.evictedForBytes());
    assertEquals(
        "t99",
        s.snapshot().path("feed").get(0).path("record").path("text").asText().split(" ")[0],
        "the newest stays");
    assertEquals(0, s.camera("cam-0", 10).path("summaries").size(), "the oldest camera's are gone");
    assertEquals(50, s.cameraCount(), "cameras stay (their tiles are small)");
  }

  @Test
  void aRecordLargerThanTheLimitIsCountedNeitherKeptNorStreamed() {
    LiveState s = new LiveState(BYTES);
    List<LiveEvent> seen = new ArrayList<>();
    s.addListener(seen::add);

    s.apply(Topics.SUMMARIES.name(), 0, 0, "cam-a", summaryOf("cam-a", 1, 1 << 20));

    assertEquals(1, s.recordsTooLarge());
    assertEquals(0, s.snapshot().path("feed").size());
    assertEquals(List.of(), seen);
    assertEquals(0, s.retainedBytes());
  }

  @Test
  void recordsWithInvalidCameraIdsAreCountedAndNotShown() {
    LiveState s = new LiveState(BYTES);
    List<LiveEvent> seen = new ArrayList<>();
    s.addListener(seen::add);

    for (String bad : List.of("bad/id", "x".repeat(129), "a\nb", "")) {
      s.apply(Topics.SUMMARIES.name(), 0, 0, bad, summary(bad, 1));
    }
    AlertRule badRule =
        AlertRule.newBuilder().setId("r\u0000").setCameraGlob("*").setQuestion("Q?").build();
    s.apply(Topics.RULES.name(), 0, 0, "r\u0000", badRule);

    assertEquals(5, s.invalidRecords());
    assertEquals(0, s.cameraCount());
    assertEquals(0, s.snapshot().path("feed").size());
    assertEquals(0, s.rules().size());
    assertEquals(List.of(), seen);
  }
}
