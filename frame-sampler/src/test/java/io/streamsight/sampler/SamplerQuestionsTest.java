package io.streamsight.sampler;

import static io.streamsight.sampler.TestFrames.frame;
import static io.streamsight.sampler.TestFrames.noisy;
import static io.streamsight.sampler.TestFrames.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.records.Progress;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live questions through the production topology in a TopologyTestDriver: a {@link QuestionBook} on
 * a test wall clock stands in for the {@code vlm.queries} reader.
 */
@Timeout(60)
class SamplerQuestionsTest {
  private static final long SEC = 1_000_000L;
  private static final long T0 = 1_700_000_000L * SEC;
  private static final BufferedImage STREET = scene(1);
  private static final BufferedImage PARKING = scene(2);

  @TempDir Path stateDir;
  private final AtomicLong wall = new AtomicLong(T0);
  private final QuestionBook book = new QuestionBook(QuestionSettings.DEFAULTS, wall::get);
  private SamplerDriver sampler;

  private SamplerDriver start() {
    sampler = new SamplerDriver(SamplerConfig.standard(), stateDir, book);
    return sampler;
  }

  @AfterEach
  void close() {
    if (sampler != null) {
      sampler.close();
    }
  }

  /**
   * Frames at 5 fps of a static scene from {@code fromSec} to {@code toSec} (exclusive); the wall
   * clock follows the capture time, as for a live camera.
   */
  private void play(String cam, double fromSec, double toSec) {
    for (long i = Math.round(fromSec * 5); i < Math.round(toSec * 5); i++) {
      long t = T0 + i * SEC / 5;
      wall.set(Math.max(wall.get(), t));
      sampler.send(frame(cam, "s1", i, t, noisy(STREET, 3, 0, i)));
    }
  }

  private static List<String> described(List<Keyframe> ks) {
    return ks.stream()
        .map(
            k ->
                k.getCameraId()
                    + "@"
                    + BigDecimal.valueOf(k.getCaptureTimeMicros() - T0, 6)
                        .stripTrailingZeros()
                        .toPlainString())
        .toList();
  }

  private static List<Keyframe> withReason(List<Keyframe> ks, KeyframeReason r) {
    return ks.stream().filter(k -> k.getReason() == r).toList();
  }

  @Test
  void aPendingQuestionMakesTheNextFreshFrameAQueryKeyframeOnce() {
    SamplerDriver s = start();
    play("cam-1", 0, 5);
    book.ask("cam-1", T0 + 5 * SEC, null);
    play("cam-1", 5, 20);

    List<Keyframe> out = s.keyframes();
    assertEquals(List.of("cam-1@0", "cam-1@5"), described(out), "FIRST, then one QUERY only");
    Keyframe q = out.get(1);
    assertEquals(KeyframeReason.QUERY, q.getReason());
    assertTrue(q.getNoveltyScore() < 0.1f, "a static scene: novelty " + q.getNoveltyScore());
    assertTrue(q.getJpeg().remaining() > 0, "a whole frame");
    assertEquals(0, book.size(), "the question was taken");
  }

  @Test
  void aQueryKeyframeIgnoresMinGapAndCountsAsTheLastKeyframe() {
    SamplerDriver s = start();
    play("cam-1", 0, 0.4);
    book.ask("cam-1", T0 + SEC / 5, null); // 0.4 s after the first keyframe: within minGap
    play("cam-1", 0.4, 30.4);

    List<Keyframe> all = s.all();
    List<Keyframe> out = all.stream().filter(k -> !Progress.is(k)).toList();
    assertEquals(List.of("cam-1@0", "cam-1@0.4"), described(out));
    assertEquals(KeyframeReason.QUERY, out.get(1).getReason());
    // maxGap (30 s) counts from the QUERY keyframe, and so do progress records.
    play("cam-1", 30.4, 30.6);
    List<Keyframe> later = s.keyframes();
    assertEquals(List.of("cam-1@30.4"), described(later));
    assertEquals(KeyframeReason.MAX_GAP, later.get(0).getReason());
    assertEquals(
        1.4,
        (all.stream().filter(Progress::is).findFirst().orElseThrow().getCaptureTimeMicros() - T0)
            / (double) SEC,
        1e-9,
        "the first progress record is an interval after the QUERY keyframe");
  }

  @Test
  void backlogFramesOlderThanTheQuestionDoNotTakeIt() {
    SamplerDriver s = start();
    // The sampler is behind: the question was asked at 10 s while frames from 0 s are read.
    wall.set(T0 + 10 * SEC);
    book.ask("cam-1", T0 + 10 * SEC, null);
    play("cam-1", 0, 8.8);
    assertEquals(List.of("cam-1@0"), described(s.keyframes()), "FIRST only");
    assertEquals(1, book.size(), "still pending");

    play("cam-1", 8.8, 12);
    List<Keyframe> out = s.keyframes();
    assertEquals(List.of("cam-1@9"), described(out), "the first frame at most 1 s older");
    assertEquals(KeyframeReason.QUERY, out.get(0).getReason());
  }

  @Test
  void aQuestionAboutAnotherCameraDoesNotFire() {
    SamplerDriver s = start();
    play("cam-1", 0, 1);
    play("cam-2", 0, 1);
    book.ask("cam-2", T0 + 2 * SEC, null);
    play("cam-1", 1, 5);
    assertEquals(List.of("cam-1@0", "cam-2@0"), described(s.keyframes()));

    play("cam-2", 1, 5);
    List<Keyframe> out = s.keyframes();
    assertEquals(List.of("cam-2@1"), described(out), "cam-2's first frame >= 1 s");
    assertEquals(KeyframeReason.QUERY, out.get(0).getReason());
  }

  @Test
  void anExpiredQuestionDoesNotFire() {
    SamplerDriver s = start();
    play("cam-1", 0, 1);
    book.ask("cam-1", T0 + SEC, null);
    // The camera is silent for longer than questions.pendingFor (10 s).
    wall.set(T0 + 12 * SEC);
    play("cam-1", 12, 14);
    assertEquals(List.of("cam-1@0"), described(s.keyframes()), "FIRST only");
  }

  @Test
  void aFrameThatIsAKeyframeAnywayKeepsItsReasonAndTakesTheQuestion() {
    SamplerDriver s = start();
    play("cam-1", 0, 3);
    book.ask("cam-1", T0 + 3 * SEC, null);
    wall.set(T0 + 3 * SEC);
    s.send(frame("cam-1", "s1", 15, T0 + 3 * SEC, PARKING));
    play("cam-1", 3.2, 6);

    List<Keyframe> out = s.keyframes();
    assertEquals(List.of("cam-1@0", "cam-1@3", "cam-1@4"), described(out));
    assertEquals(KeyframeReason.SCENE_CHANGE, out.get(1).getReason());
    // Back to STREET one minGap later is a scene change too: no QUERY keyframe anywhere.
    assertEquals(List.of(), withReason(out, KeyframeReason.QUERY));
    assertEquals(0, book.size());
  }

  @Test
  void aLateFrameDoesNotTakeTheQuestion() {
    SamplerDriver s = start();
    play("cam-1", 0, 3);
    wall.set(T0 + 3 * SEC);
    book.ask("cam-1", T0 + 2 * SEC, null);
    // Fresh enough for the question, but older than a frame already seen: it would reorder.
    s.send(frame("cam-1", "s1", 100, T0 + 2 * SEC + SEC / 2, STREET));
    assertEquals(List.of("cam-1@0"), described(s.keyframes()));
    play("cam-1", 3, 3.4);
    List<Keyframe> out = s.keyframes();
    assertEquals(List.of("cam-1@3"), described(out));
    assertEquals(KeyframeReason.QUERY, out.get(0).getReason());
  }

  @Test
  void questionsOffMeansNoQueryKeyframes() {
    sampler = new SamplerDriver(SamplerConfig.standard(), stateDir);
    book.ask("cam-1", T0, null);
    play("cam-1", 0, 10);
    assertEquals(List.of("cam-1@0"), described(sampler.keyframes()));
  }

  private static SamplerConfig load(String yaml) {
    return ConfigBinder.load("sampler.yaml", yaml, SamplerFile.class, SamplerFile::toConfig);
  }

  @Test
  void questionsSettingsAreBoundFromSamplerYaml() {
    SamplerConfig c = load("questions:\n  pendingFor: 5s\n  maxFrameAge: 500ms\n");
    assertEquals(Duration.ofSeconds(5), c.questions().pendingFor());
    assertEquals(Duration.ofMillis(500), c.questions().maxFrameAge());
    assertTrue(c.questions().enabled());
    assertEquals(QuestionSettings.DEFAULTS, SamplerConfig.standard().questions());
    assertEquals(QuestionSettings.DEFAULTS, load("").questions());
    assertEquals(false, load("questions:\n  enabled: false\n").questions().enabled());
  }

  @Test
  void aBadQuestionsValueFailsNamingItsKey() {
    for (String bad :
        List.of(
            "questions:\n  pendingFor: 0s\n",
            "questions:\n  maxCameras: 0\n",
            "questions:\n  enabled: yes please\n")) {
      ConfigException e = assertThrows(ConfigException.class, () -> load(bad), bad);
      String key = bad.split("\n")[1].trim().split(":")[0];
      assertTrue(e.getMessage().contains("questions." + key), e.getMessage());
    }
  }
}
