package io.streamsight.sampler;

import static io.streamsight.sampler.TestFrames.frame;
import static io.streamsight.sampler.TestFrames.noisy;
import static io.streamsight.sampler.TestFrames.paintRow;
import static io.streamsight.sampler.TestFrames.scene;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.Topics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each keyframe rule, through the production topology in a TopologyTestDriver. */
class SamplerTopologyTest {
  private static final long SEC = 1_000_000L;
  private static final long T0 = 1_700_000_000L * SEC;
  private static final BufferedImage STREET = scene(1);
  private static final BufferedImage PARKING = scene(2);

  @TempDir Path stateDir;
  private SamplerDriver sampler;

  private SamplerDriver start(SamplerConfig config) {
    sampler = new SamplerDriver(config, stateDir);
    return sampler;
  }

  @AfterEach
  void close() {
    if (sampler != null) {
      sampler.close();
    }
  }

  /** Frames at {@code fps} from {@code fromSec} to {@code toSec} (exclusive), picture by time. */
  private static void play(
      SamplerDriver s,
      String cam,
      double fromSec,
      double toSec,
      int fps,
      LongFunction<BufferedImage> pic) {
    for (long i = Math.round(fromSec * fps); i < Math.round(toSec * fps); i++) {
      long t = T0 + i * SEC / fps;
      s.send(frame(cam, "s1", i, t, noisy(pic.apply(t - T0), 3, 0, i)));
    }
  }

  private static double secondsOf(Keyframe k) {
    return (k.getCaptureTimeMicros() - T0) / (double) SEC;
  }

  @Test
  void firstFrameOfACameraIsAKeyframeCarryingTheWholeFrame() {
    SamplerDriver s = start(SamplerConfig.standard());
    Frame f = frame("cam-1", "s1", 0, T0, STREET);
    s.send(f);

    List<Keyframe> out = s.keyframes();
    assertEquals(1, out.size());
    Keyframe k = out.get(0);
    assertEquals(KeyframeReason.FIRST, k.getReason());
    assertEquals(1.0f, k.getNoveltyScore());
    assertEquals("cam-1", k.getCameraId());
    assertEquals(T0, k.getCaptureTimeMicros());
    assertEquals(f.getFeatures(), k.getFeatures());
    assertArrayEquals(f.getJpeg().array(), k.getJpeg().array());
    assertEquals(0, k.getSourcePartition());
    assertEquals(0L, k.getSourceOffset());
  }

  @Test
  void eachCameraHasItsOwnFirstKeyframe() {
    SamplerDriver s = start(SamplerConfig.standard());
    s.send(frame("cam-1", "s1", 0, T0, STREET));
    s.send(frame("cam-2", "s1", 0, T0 + 1000, STREET));
    s.send(frame("cam-1", "s1", 1, T0 + SEC / 10, STREET));

    List<Keyframe> out = s.keyframes();
    assertEquals(
        List.of("cam-1", "cam-2"), out.stream().map(k -> k.getCameraId().toString()).toList());
    assertTrue(out.stream().allMatch(k -> k.getReason() == KeyframeReason.FIRST));
  }

  @Test
  void aNovelSceneIsAKeyframeAndNoisyRepeatsAreNot() {
    SamplerDriver s = start(SamplerConfig.standard());
    play(s, "cam-1", 0, 5, 10, t -> t < 3 * SEC ? STREET : PARKING);

    List<Keyframe> out = s.keyframes();
    assertEquals(2, out.size(), "first + scene change, got " + out);
    Keyframe cut = out.get(1);
    assertEquals(KeyframeReason.SCENE_CHANGE, cut.getReason());
    assertEquals(3.0, secondsOf(cut), 1e-9);
    assertTrue(cut.getNoveltyScore() >= 0.25f, "novelty " + cut.getNoveltyScore());
  }

  @Test
  void anUnchangedSceneGetsAHeartbeatEveryMaxGap() {
    SamplerDriver s = start(SamplerConfig.standard());
    play(s, "cam-1", 0, 65, 2, t -> STREET);

    List<Keyframe> out = s.keyframes();
    assertEquals(List.of(0.0, 30.0, 60.0), out.stream().map(k -> secondsOf(k)).toList());
    assertEquals(KeyframeReason.MAX_GAP, out.get(1).getReason());
    assertTrue(out.get(1).getNoveltyScore() < 0.1f, "novelty " + out.get(1).getNoveltyScore());
  }

  @Test
  void aStaticSceneReportsProgressEverySecondWithoutAnImage() {
    SamplerDriver s = start(SamplerConfig.standard());
    play(s, "cam-1", 0, 4.5, 5, t -> STREET);

    List<Keyframe> out = s.all();
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0), out.stream().map(k -> secondsOf(k)).toList());
    assertEquals(KeyframeReason.FIRST, out.get(0).getReason());
    for (Keyframe p : out.subList(1, out.size())) {
      assertTrue(Progress.is(p), "progress, got " + p.getReason());
      assertEquals(0, p.getJpeg().remaining(), "no image");
      assertEquals("s1", p.getIngestSessionId());
    }
  }

  @Test
  void progressCountsFromTheLastKeyframeSoKeyframesAreNotDoubledByProgress() {
    SamplerDriver s = start(SamplerConfig.standard());
    // A cut at 1.6 s: the keyframe there resets the progress interval.
    play(s, "cam-1", 0, 3, 5, t -> t < 16 * SEC / 10 ? STREET : PARKING);

    List<String> out =
        s.all().stream().map(k -> secondsOf(k) + (Progress.is(k) ? "p" : "k")).toList();
    assertEquals(List.of("0.0k", "1.0p", "1.6k", "2.6p"), out);
  }

  @Test
  void aQuietCamerasTimeIsExtrapolatedOnWallTimeUpToALimit() {
    SamplerConfig config =
        SamplerConfig.standard()
            .withProgress(
                new ProgressSettings(
                    Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10)));
    SamplerDriver s = start(config);
    play(s, "cam-1", 0, 0.5, 5, t -> STREET); // last frame at 0.4 s
    assertEquals(1, s.all().size());

    s.driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertEquals(List.of(), s.all(), "not quiet yet");
    for (int i = 0; i < 20; i++) {
      s.driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
    List<Keyframe> out = s.all();
    assertTrue(out.stream().allMatch(Progress::is), "progress only: " + out);
    List<Double> times = out.stream().map(k -> secondsOf(k)).toList();
    // From 3 s of quiet on, one a second, ending exactly 10 s after the last frame.
    assertEquals(0.4 + 3, times.get(0), 1e-9);
    assertEquals(0.4 + 10, times.get(times.size() - 1), 1e-9);
    assertEquals(8, times.size(), "times " + times);

    // The camera comes back: its frames are keyframes as before, progress resumes after them.
    play(s, "cam-1", 20, 22.5, 5, t -> STREET);
    List<String> back =
        s.all().stream().map(k -> secondsOf(k) + (Progress.is(k) ? "p" : "k")).toList();
    assertEquals(List.of("20.0p", "21.0p", "22.0p"), back, "maxGap not reached: progress only");
  }

  @Test
  void changesCloserThanMinGapWaitUntilMinGapHasPassed() {
    SamplerDriver s = start(SamplerConfig.standard());
    // Cut to PARKING at 0.5 s (too soon after the first keyframe), back to STREET at 1.3 s.
    play(s, "cam-1", 0, 3, 10, t -> t >= 5 * SEC / 10 && t < 13 * SEC / 10 ? PARKING : STREET);

    List<Keyframe> out = s.keyframes();
    // Each suppressed change is caught by the first frame once min gap has passed.
    assertEquals(List.of(0.0, 1.0, 2.0), out.stream().map(k -> secondsOf(k)).toList());
    assertEquals(KeyframeReason.SCENE_CHANGE, out.get(1).getReason());
    assertEquals(KeyframeReason.SCENE_CHANGE, out.get(2).getReason());
  }

  @Test
  void perCameraOverridesApplyOnlyToTheirCamera() {
    CameraSettings fast =
        new CameraSettings(0.25, Duration.ofMillis(500), Duration.ofSeconds(5), 0L);
    SamplerConfig config =
        new SamplerConfig("sampler-test", CameraSettings.DEFAULTS, Map.of("lobby", fast));
    SamplerDriver s = start(config);
    play(s, "lobby", 0, 12, 2, t -> STREET);
    play(s, "gate", 0, 12, 2, t -> STREET);

    List<Keyframe> out = s.keyframes();
    List<Double> lobby =
        out.stream()
            .filter(k -> k.getCameraId().toString().equals("lobby"))
            .map(k -> secondsOf(k))
            .toList();
    List<Double> gate =
        out.stream()
            .filter(k -> k.getCameraId().toString().equals("gate"))
            .map(k -> secondsOf(k))
            .toList();
    assertEquals(List.of(0.0, 5.0, 10.0), lobby);
    assertEquals(List.of(0.0), gate);
  }

  @Test
  void changesInsideTheIgnoredRegionAreNotNovel() {
    long topRow = 0xffL; // thumbnail row 0, e.g. a clock overlay
    CameraSettings masked =
        new CameraSettings(0.25, Duration.ofSeconds(1), Duration.ofSeconds(30), topRow);
    SamplerConfig config =
        new SamplerConfig("sampler-test", CameraSettings.DEFAULTS, Map.of("masked", masked));
    SamplerDriver s = start(config);
    // The top eighth of the picture changes completely every 2 s; the rest stays.
    LongFunction<BufferedImage> clock =
        t -> paintRow(STREET, 0, (t / (2 * SEC)) % 2 == 0 ? 0xffffff : 0x000000);
    play(s, "masked", 0, 9, 5, clock);
    play(s, "unmasked", 0, 9, 5, clock);

    List<Keyframe> out = s.keyframes();
    long maskedCount =
        out.stream().filter(k -> k.getCameraId().toString().equals("masked")).count();
    long unmaskedCount = out.size() - maskedCount;
    assertEquals(1, maskedCount, "only FIRST for the masked camera: " + out);
    assertTrue(unmaskedCount >= 4, "the unmasked camera sees each flip: " + unmaskedCount);
  }

  @Test
  void aNewIngestSessionStartsWithAKeyframe() {
    SamplerDriver s = start(SamplerConfig.standard());
    s.send(frame("cam-1", "s1", 0, T0, STREET));
    s.send(frame("cam-1", "s1", 1, T0 + SEC / 2, STREET));
    // ingest reconnected: same picture, new session, even within min gap of the last keyframe
    s.send(frame("cam-1", "s2", 0, T0 + SEC * 6 / 10, STREET));
    s.send(frame("cam-1", "s2", 1, T0 + SEC * 7 / 10, STREET));

    List<Keyframe> out = s.keyframes();
    assertEquals(2, out.size());
    assertEquals(KeyframeReason.SESSION_CHANGE, out.get(1).getReason());
    assertEquals("s2", out.get(1).getIngestSessionId().toString());
  }

  @Test
  void lateFramesNeverBecomeKeyframesAndDoNotDisturbTheRules() {
    SamplerDriver s = start(SamplerConfig.standard());
    s.send(frame("cam-1", "s1", 0, T0, STREET));
    s.send(frame("cam-1", "s1", 2, T0 + 4 * SEC, STREET));
    // Arrives late, older than a frame already seen, and novel: not a keyframe.
    s.send(frame("cam-1", "s1", 1, T0 + 2 * SEC, PARKING));
    s.send(frame("cam-1", "s1", 3, T0 + 5 * SEC, STREET));
    // The next in-order novel frame is still detected against the last keyframe.
    s.send(frame("cam-1", "s1", 4, T0 + 6 * SEC, PARKING));

    List<Keyframe> out = s.keyframes();
    assertEquals(List.of(0L, 4L), out.stream().map(Keyframe::getSequence).toList());
    assertEquals(KeyframeReason.SCENE_CHANGE, out.get(1).getReason());
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicAndProcessingContinues() {
    SamplerDriver s = start(SamplerConfig.standard());
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    s.rawFrames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), garbage);
    s.rawFrames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), (byte[]) null);
    byte[] truncated = AvroCodec.of(Frame.class).encode(frame("cam-1", "s1", 0, T0, STREET));
    s.rawFrames.pipeInput(
        "cam-1".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(truncated, 40));
    s.send(frame("cam-1", "s1", 1, T0, STREET));

    List<DeadLetter> dead = s.deadLetters.readValuesToList();
    assertEquals(3, dead.size());
    DeadLetter first = dead.get(0);
    assertEquals("frame-sampler", first.getStage());
    assertEquals(Topics.FRAMES.name(), first.getTopic());
    assertEquals(0L, first.getOffset());
    assertArrayEquals(garbage, first.getOriginalValue().array());
    assertTrue(
        first.getErrorMessage().toString().contains("BAD_HEADER"),
        first.getErrorMessage().toString());
    assertTrue(
        dead.get(1).getErrorMessage().toString().contains("EMPTY"),
        dead.get(1).getErrorMessage().toString());
    assertEquals(1, s.keyframes().size(), "the good frame after the bad ones is processed");
  }

  @Test
  @Timeout(60)
  void framesWithAnInvalidCameraIdGoToTheDeadLetterTopicWithTheReason() {
    SamplerDriver s = start(SamplerConfig.standard());
    s.send(frame("cam/../1", "s1", 0, T0, STREET));
    s.send(frame("x".repeat(129), "s1", 0, T0, STREET));
    s.send(frame("cam-1", "s1", 0, T0, STREET));

    List<DeadLetter> dead = s.deadLetters.readValuesToList();
    assertEquals(2, dead.size());
    assertEquals(
        "io.streamsight.schemas.validation.InvalidRecordException",
        dead.get(0).getErrorClass().toString());
    String why = dead.get(0).getErrorMessage().toString();
    assertTrue(why.contains("cameraId") && why.contains("'/' at position 3"), why);
    assertTrue(dead.get(1).getErrorMessage().toString().contains("129 characters"));
    assertEquals(
        List.of("cam-1"), s.keyframes().stream().map(k -> k.getCameraId().toString()).toList());
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aFrameDeclaringAHugeJpegIsDeadLetteredAndProcessingContinues() throws Exception {
    SamplerDriver s = start(SamplerConfig.standard());
    // The fields of a Frame up to its jpeg, whose length then claims 1 GB and nothing follows.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] ok = AvroCodec.of(Frame.class).encode(frame("cam-1", "s1", 0, T0, STREET));
    out.write(ok, 0, 10); // single-object header of the current Frame schema
    org.apache.avro.io.BinaryEncoder enc =
        org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
    enc.writeString("cam-1");
    enc.writeString("s1");
    enc.writeLong(0);
    enc.writeLong(T0);
    enc.writeLong(0);
    enc.writeInt(64);
    enc.writeInt(48);
    enc.writeLong(1L << 30);
    enc.flush();
    byte[] bomb = out.toByteArray();
    s.rawFrames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), bomb);
    s.send(frame("cam-1", "s1", 1, T0, STREET));

    List<DeadLetter> dead = s.deadLetters.readValuesToList();
    assertEquals(1, dead.size());
    String reason = dead.get(0).getErrorMessage().toString();
    assertTrue(reason.contains("Frame.jpeg: bytes declares 1073741824"), reason);
    assertEquals(1, s.keyframes().size(), "the good frame after the bomb is processed");
  }
}
