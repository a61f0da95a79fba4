package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.vlm.operator.config.CameraOverride;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WatermarkConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WindowConfig;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-camera event time: 10 s tumbling windows, 2 s out-of-orderness, no idleness fallback (the
 * shipped default; one test turns it on), at most 1 min ahead of the wall clock, 1 min backwards
 * step. The harness's processing time is the wall clock.
 */
@Timeout(30)
class CameraWindowsTest {
  private static final long NOW = 1_700_000_000_000L; // wall clock, ms
  private static final long HOUR = 3_600_000L;

  private static OperatorConfig config(int k, Duration slide) {
    return config(k, slide, null);
  }

  private static OperatorConfig config(int k, Duration slide, Duration idleness) {
    return OperatorConfig.defaults()
        .withWindow(new WindowConfig(Duration.ofSeconds(10), slide, k))
        .withWatermarks(
            new WatermarkConfig(
                Duration.ofSeconds(2), idleness, Duration.ofMinutes(1), Duration.ofMinutes(1)));
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> harness(
      OperatorConfig config) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new CameraWindows(config)),
            (KeySelector<FrameRef, String>) FrameRef::cameraId,
            Types.STRING);
    h.setProcessingTime(NOW);
    h.setStateTtlProcessingTime(NOW);
    h.open();
    return h;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> harness()
      throws Exception {
    return harness(config(16, null));
  }

  /** A keyframe of {@code camera} captured at {@code millis} (absolute, epoch ms). */
  private static void add(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h,
      String camera,
      long millis)
      throws Exception {
    h.processElement(new StreamRecord<>(frame(camera, millis, 0.5f), millis));
  }

  /** A progress record of {@code camera} at {@code millis}: time moves, no frame. */
  private static void progress(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h,
      String camera,
      long millis)
      throws Exception {
    h.processElement(new StreamRecord<>(Frames.progress(camera, millis), millis));
  }

  /** The closed windows, as camera@start+frames (start relative to T0). */
  private static List<String> windows(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h) {
    return h.extractOutputValues().stream().filter(WindowFrames::closed).map(w -> text(w)).toList();
  }

  /** The windows-so-far sent for early scoring, same notation. */
  private static List<String> soFar(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h) {
    return h.extractOutputValues().stream()
        .filter(w -> !w.closed() && !w.isTick())
        .map(w -> text(w))
        .toList();
  }

  private static String text(WindowFrames w) {
    return w.cameraId() + "@" + (w.windowStartMicros() / 1000 - T0) + "+" + w.frames().length;
  }

  private static List<DeadLetter> dead(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h) {
    var q = h.getSideOutput(RejectionSplitters.DEAD_LETTERS);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  /** Window-aligned event-time origin a minute before the wall clock. */
  private static final long T0 = (NOW - 60_000) / 10_000 * 10_000;

  @Test
  void givesEachCameraTheWindowLengthOfItsFirstMatchingOverride() throws Exception {
    OperatorConfig c =
        config(16, null)
            .withCameras(
                List.of(
                    new CameraOverride("dock-*", null, null, Duration.ofSeconds(20), null),
                    new CameraOverride("*", null, null, Duration.ofSeconds(5), null)));
    long t20 = T0 - Math.floorMod(T0, 20_000); // on both grids
    try (var h = harness(c.withCameras(c.cameras().subList(0, 1)))) {
      for (long t = 0; t <= 22_000; t += 1000) {
        add(h, "dock-1", t20 + t);
        add(h, "lobby", t20 + t);
      }
      var byCamera =
          h.extractOutputValues().stream()
              .filter(WindowFrames::closed) // not the windows-so-far sent for early rule scoring
              .map(
                  w ->
                      w.cameraId()
                          + "@"
                          + (w.windowStartMicros() / 1000 - t20)
                          + "-"
                          + (w.windowEndMicros() / 1000 - t20))
              .toList();
      assertEquals(List.of("lobby@0-10000", "dock-1@0-20000", "lobby@10000-20000"), byCamera);
    }
    assertEquals(Duration.ofSeconds(5), c.forCamera("lobby").windowSize(), "first match wins");
    assertEquals(Duration.ofSeconds(20), c.forCamera("dock-7").windowSize());
  }

  @Test
  void closesACamerasWindowWhenItsOwnTimePassesTheEndPlusTheBound() throws Exception {
    try (var h = harness(config(3, null))) {
      for (int i = 0; i < 8; i++) {
        add(h, "cam-a", T0 + 1000L * i);
      }
      add(h, "cam-a", T0 + 11_999); // watermark 9 999: [0, 10 s) stays open
      assertEquals(List.of(), windows(h));
      add(h, "cam-a", T0 + 12_000); // watermark 10 000: it closes, with K = 3 of its 8 frames
      assertEquals(List.of("cam-a@0+3"), windows(h));
    }
  }

  @Test
  void aCameraAnHourInTheFutureNeitherShedsNorMakesLateAnotherCamerasWindows() throws Exception {
    try (var h = harness()) {
      // cam-bad's clock is an hour fast: each keyframe is refused, its time never moves.
      add(h, "cam-bad", NOW + HOUR);
      add(h, "cam-bad", NOW + HOUR + 1000);
      // cam-live keeps real time around it; its windows close on its own progress only.
      for (long t = 0; t <= 22_000; t += 1000) {
        add(h, "cam-live", T0 + t);
      }
      assertEquals(List.of("cam-live@0+10", "cam-live@10000+10"), windows(h));
      List<DeadLetter> dead = dead(h);
      assertEquals(2, dead.size(), "only the future keyframes are dead-lettered: " + dead);
      for (DeadLetter d : dead) {
        assertEquals("FutureCaptureTime", d.getErrorClass());
        assertTrue(d.getErrorMessage().contains("ahead of the operator's wall clock"));
        assertEquals("cameras.keyframes", d.getTopic(), "dead-lettered by reference");
      }
    }
  }

  @Test
  void aCameraAheadWithinTheBoundStillOnlyMovesItsOwnTime() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0);
      add(h, "cam-fast", NOW + 50_000); // 50 s ahead: accepted, its own windows only
      add(h, "cam-a", T0 + 5000); // not late: cam-fast's time is not cam-a's
      add(h, "cam-a", T0 + 12_000);
      assertEquals(List.of("cam-a@0+2"), windows(h));
      assertEquals(List.of(), dead(h));
    }
  }

  @Test
  void aKeyframeBehindItsCamerasWatermarkIsDeadLetteredAsLate() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0 + 1000);
      add(h, "cam-a", T0 + 13_000); // closes [0, 10 s)
      add(h, "cam-a", T0 + 9000); // 4 s behind: its window is gone
      add(h, "cam-b", T0 + 9000); // another camera at that time is fine
      assertEquals(List.of("cam-a@0+1"), windows(h));
      List<DeadLetter> dead = dead(h);
      assertEquals(1, dead.size());
      assertEquals("LateKeyframe", dead.get(0).getErrorClass());
      assertTrue(dead.get(0).getErrorMessage().contains("cam-a"));
    }
  }

  @Test
  void recoversFromAClockSteppingBackAnHour() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0 + 1000);
      add(h, "cam-a", T0 + 12_000); // closes [0, 10 s); [10, 20 s) open with one frame
      // The camera's clock steps back an hour: its open window closes as it is, its time restarts.
      long back = T0 - HOUR;
      add(h, "cam-a", back + 1000);
      assertEquals(List.of("cam-a@0+1", "cam-a@10000+1"), windows(h));
      for (long t = 2000; t <= 12_000; t += 1000) {
        add(h, "cam-a", back + t);
      }
      assertEquals(
          List.of("cam-a@0+1", "cam-a@10000+1", "cam-a@-3600000+9"),
          windows(h),
          "windows after the step close normally, none of its keyframes late");
      assertEquals(List.of(), dead(h));
    }
  }

  @Test
  void progressRecordsCloseAStaticScenesWindowWithoutAnotherKeyframe() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0 + 1000); // the only keyframe for a long while (static scene)
      for (long t = 2000; t < 12_000; t += 1000) {
        progress(h, "cam-a", T0 + t);
      }
      assertEquals(List.of(), windows(h), "watermark 9 s: still open");
      progress(h, "cam-a", T0 + 12_000);
      assertEquals(List.of("cam-a@0+1"), windows(h), "progress alone closed it");
      assertEquals(List.of("cam-a@0+1"), soFar(h), "progress is never a frame of a window");
      assertEquals(
          11,
          h.extractOutputValues().stream().filter(WindowFrames::isTick).count(),
          "each progress record is passed on as a tick, for the alert events");
      assertEquals(List.of(), dead(h));
    }
  }

  @Test
  void progressIsNeverLateAndCannotCloseAnotherCamerasWindows() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0 + 1000);
      add(h, "cam-b", T0 + 1000);
      progress(h, "cam-a", T0 + 30_000);
      progress(h, "cam-a", T0 + 5000); // behind the watermark: simply no news
      assertEquals(List.of("cam-a@0+1"), windows(h));
      assertEquals(List.of(), dead(h));
    }
  }

  @Test
  void withoutTheIdlenessFallbackWallTimeClosesNothing() throws Exception {
    try (var h = harness()) {
      add(h, "cam-a", T0 + 1000);
      h.setProcessingTime(NOW + HOUR);
      assertEquals(List.of(), windows(h), "only the camera's records move its time");
      assertEquals(0, h.numProcessingTimeTimers());
    }
  }

  @Test
  void eachKeyframeSendsTheWindowSoFarOfEveryOpenWindowItIsIn() throws Exception {
    try (var h = harness(config(8, Duration.ofSeconds(5)))) {
      add(h, "cam-a", T0 + 1000);
      add(h, "cam-a", T0 + 6000);
      // 1 s is in [-5, 5) and [0, 10); 6 s is in [0, 10) (now with both) and [5, 15).
      assertEquals(List.of("cam-a@-5000+1", "cam-a@0+1", "cam-a@0+2", "cam-a@5000+1"), soFar(h));
      assertEquals(List.of(), windows(h));
    }
  }

  @Test
  void aReplayWithStallsGivesTheSameWindowsAsTheLiveRun() throws Exception {
    // The same records twice: once with the wall clock crawling, once stalled for minutes between
    // records (backpressure from a slow model during a replay). Only records move event time, so
    // both runs close the same windows with the same frames, and send the same windows-so-far.
    List<List<String>> runs = new java.util.ArrayList<>();
    for (long stall : new long[] {10, 5 * 60_000}) {
      try (var h = harness()) {
        long wall = NOW;
        for (long t = 0; t < 45_000; t += 500) {
          h.setProcessingTime(wall += stall);
          if (t % 7000 == 0) {
            add(h, "cam-a", T0 + t);
          } else if (t % 1000 == 0) {
            progress(h, "cam-a", T0 + t);
          }
        }
        List<String> out = new java.util.ArrayList<>(windows(h));
        out.add("|");
        out.addAll(soFar(h));
        runs.add(out);
      }
    }
    assertEquals(runs.get(0), runs.get(1));
    assertEquals(
        List.of("cam-a@0+2", "cam-a@10000+1", "cam-a@20000+2", "cam-a@30000+1"),
        runs.get(0).subList(0, runs.get(0).indexOf("|")),
        "closed by progress, the last one with no keyframe after it");
  }

  @Test
  void theIdlenessFallbackClosesAQuietCamerasLastWindowOnWallTime() throws Exception {
    try (var h = harness(config(16, null, Duration.ofSeconds(5)))) {
      add(h, "cam-a", T0 + 1000);
      add(h, "cam-a", T0 + 3000);
      h.setProcessingTime(NOW + 4999);
      assertEquals(List.of(), windows(h), "not idle yet");
      // Idle: its time is taken to move with the wall clock, so [0, 10 s) closes once
      // 3 s + elapsed - 2 s passes 10 s, i.e. 9 s after the last keyframe.
      h.setProcessingTime(NOW + 8999);
      assertEquals(List.of(), windows(h));
      h.setProcessingTime(NOW + 9000);
      assertEquals(List.of("cam-a@0+2"), windows(h));
      assertEquals(0, h.numProcessingTimeTimers(), "nothing open, no timer left");
    }
  }

  @Test
  void slidingWindowsGetEachKeyframeOnce() throws Exception {
    try (var h = harness(config(8, Duration.ofSeconds(5)))) {
      for (long t = 0; t < 20_000; t += 2500) {
        add(h, "cam-a", T0 + t);
      }
      // watermark 15.5 s: windows ending at 5, 10 and 15 s have closed
      assertEquals(List.of("cam-a@-5000+2", "cam-a@0+4", "cam-a@5000+4"), windows(h));
    }
  }

  @Test
  void forgetsAQuietCameraADayAfterItsLastKeyframe() throws Exception {
    try (var h = harness()) {
      add(h, "cam-gone", T0 + 1000);
      add(h, "cam-gone", T0 + 30_000); // watermark 28 s
      add(h, "cam-gone", T0 + 15_000); // behind it: late
      assertEquals(1, dead(h).size());
      h.setStateTtlProcessingTime(NOW + StateTtl.AFTER_LAST_WRITE.toMillis() + 1);
      // A day later the clock and the open window's keyframes are gone: the same keyframe is
      // now the first of a fresh camera, not late against a stale clock.
      add(h, "cam-gone", T0 + 15_000);
      assertEquals(1, dead(h).size());
      add(h, "cam-gone", T0 + 22_000);
      assertEquals(List.of("cam-gone@0+1", "cam-gone@10000+1"), windows(h));
    }
  }

  /**
   * Checkpoints hold references, not images: a keyframe in an open window adds well under 100 bytes
   * to the snapshot (its JPEG, 10-100 KB for a real camera, once rode in every checkpoint).
   */
  @Test
  void shouldCheckpointOpenWindowsAsReferencesWithoutImages() throws Exception {
    long one = snapshotSize(1);
    long eight = snapshotSize(8);

    long perKeyframe = (eight - one) / (3 * 7);
    assertTrue(perKeyframe > 0, "the open windows' keyframes are in the snapshot");
    assertTrue(perKeyframe < 100, "a reference, no JPEG: " + perKeyframe + " B per keyframe");
    assertTrue(eight < 8 * 1024, "3 cameras, 24 keyframes: " + eight + " B");
  }

  /** Snapshot size with {@code perCamera} keyframes of each of 3 cameras in open windows. */
  private static long snapshotSize(int perCamera) throws Exception {
    var h = harness();
    long t0 = NOW - HOUR;
    for (String camera : List.of("cam-1", "cam-2", "cam-3")) {
      for (int i = 0; i < perCamera; i++) {
        add(h, camera, t0 + i * 500);
      }
    }
    OperatorSubtaskState snapshot = h.snapshot(1, 1);
    h.close();
    return snapshot.getStateSize();
  }
}
