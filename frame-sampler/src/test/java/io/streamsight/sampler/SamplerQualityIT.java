package io.streamsight.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.Segment.Pattern;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.embedded.video.SyntheticVideo.VideoInfo;
import io.streamsight.ingest.features.FeatureExtractor;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.VideoFrames;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyframe quality on synthetic video with known ground truth, the frames made exactly as ingest
 * makes them: an H.264 file from {@link SyntheticVideo}, decoded, sampled at 5 fps, downscaled and
 * featurised by ingest's {@link VideoFrames}, then run through the production topology.
 *
 * <p>Ground truth: hard cuts between clearly different scenes must each get a keyframe within +-1 s
 * (recall >= 0.95); static scenes with sensor noise and brightness flicker get at most one keyframe
 * per max gap; a slow pan gets keyframes as the view drifts, not on every frame. Precision and
 * recall are printed.
 */
class SamplerQualityIT {
  private static final double FPS = 10;
  private static final long SEC = 1_000_000L;

  @TempDir Path dir;

  /** A segment and what it is in the ground truth. */
  private record Part(Segment segment, Kind kind) {}

  private enum Kind {
    SCENE,
    STATIC_NOISY,
    MOVING_OBJECT
  }

  private static Segment scene(int i, int frames) {
    Segment s =
        switch (i % 8) {
          case 0 -> Segment.pattern(Pattern.CHECKER, frames);
          case 1 -> Segment.solid(200, 30, 30, frames);
          case 2 -> Segment.pattern(Pattern.BARS, frames);
          case 3 -> Segment.pattern(Pattern.GRADIENT, frames).withColor(0, 200, 255);
          case 4 -> Segment.solid(30, 30, 200, frames);
          case 5 -> Segment.pattern(Pattern.CHECKER, frames).withColor(250, 200, 0);
          case 6 -> Segment.pattern(Pattern.GRADIENT, frames);
          default -> Segment.solid(20, 160, 40, frames);
        };
    return s.withNoise(4);
  }

  private static List<Part> groundTruth() {
    List<Part> parts = new ArrayList<>();
    int[] seconds = {3, 2, 4, 3, 5, 2, 3, 4, 2, 3, 5, 3, 2, 4, 3, 2};
    for (int i = 0; i < seconds.length; i++) {
      parts.add(new Part(scene(i, (int) (seconds[i] * FPS)), Kind.SCENE));
    }
    parts.add(
        new Part(
            Segment.pattern(Pattern.BARS, (int) (65 * FPS)).withNoise(12).withFlicker(10),
            Kind.STATIC_NOISY));
    parts.add(new Part(scene(1, (int) (3 * FPS)), Kind.SCENE));
    parts.add(
        new Part(
            Segment.pattern(Pattern.CHECKER, (int) (40 * FPS)).withNoise(15).withFlicker(12),
            Kind.STATIC_NOISY));
    parts.add(new Part(scene(3, (int) (3 * FPS)), Kind.SCENE));
    parts.add(
        new Part(
            Segment.solid(128, 128, 128, (int) (35 * FPS)).withNoise(10).withFlicker(12),
            Kind.STATIC_NOISY));
    parts.add(new Part(scene(2, (int) (3 * FPS)), Kind.SCENE));
    parts.add(
        new Part(
            Segment.pattern(Pattern.GRADIENT, (int) (8 * FPS))
                .withNoise(4)
                .withMovingBox(60, 255, 40, 40),
            Kind.MOVING_OBJECT));
    parts.add(new Part(scene(5, (int) (3 * FPS)), Kind.SCENE));
    return parts;
  }

  @Test
  void hardCutsAreFoundAndNoisyStaticScenesStayQuiet() throws Exception {
    List<Part> parts = groundTruth();
    SyntheticVideo.Builder b = SyntheticVideo.builder(320, 240, FPS);
    parts.forEach(p -> b.add(p.segment()));
    VideoInfo video = b.write(dir.resolve("quality.mp4"));
    List<Frame> frames =
        VideoFrames.readAll(video.path(), "cam-q", PipelineSettings.defaults().withFps(5));
    long t0 = frames.get(0).getCaptureTimeMicros();

    List<Keyframe> keyframes;
    try (SamplerDriver s = new SamplerDriver(SamplerConfig.standard(), dir.resolve("state"))) {
      frames.forEach(s::send);
      keyframes = s.keyframes();
    }
    List<Double> times =
        keyframes.stream().map(k -> (k.getCaptureTimeMicros() - t0) / 1e6).toList();

    // Segment boundaries in seconds; every boundary is a hard cut between different scenes.
    List<Double> starts = video.segmentStartFrames().stream().map(f -> f / FPS).toList();
    double end = video.frameCount() / FPS;
    List<Double> cuts = starts.subList(1, starts.size());
    long found =
        cuts.stream().filter(c -> times.stream().anyMatch(t -> Math.abs(t - c) <= 1.0)).count();
    double recall = (double) found / cuts.size();

    // Precision: each cut is matched by at most one keyframe (its nearest within 1 s); a second
    // keyframe for the same cut, or one far from any cut, is a false positive. Keyframes while
    // the object crosses the scene are not judged (they are right, but not cuts).
    java.util.Set<Integer> matched = new java.util.HashSet<>();
    for (double c : cuts) {
      int best = -1;
      for (int i = 0; i < keyframes.size(); i++) {
        double d = Math.abs(times.get(i) - c);
        if (d <= 1.0 && (best < 0 || d < Math.abs(times.get(best) - c))) {
          best = i;
        }
      }
      if (best >= 0) {
        matched.add(best);
      }
    }
    int novelty = 0;
    int nearCut = 0;
    int onMovingObject = 0;
    for (int i = 0; i < keyframes.size(); i++) {
      KeyframeReason r = keyframes.get(i).getReason();
      if (r != KeyframeReason.SCENE_CHANGE && r != KeyframeReason.MOTION) {
        continue;
      }
      if (!matched.contains(i)
          && parts.get(segmentAt(starts, times.get(i))).kind() == Kind.MOVING_OBJECT) {
        onMovingObject++;
        continue;
      }
      novelty++;
      if (matched.contains(i)) {
        nearCut++;
      }
    }
    double precision = novelty == 0 ? 1 : (double) nearCut / novelty;
    System.out.printf(
        "sampler quality: %d frames (%.0f s at 5 fps), %d keyframes; hard cuts %d, found %d:"
            + " recall %.3f; novelty keyframes %d, at a cut %d: precision %.3f;"
            + " keyframes on the moving object %d%n",
        frames.size(),
        end,
        keyframes.size(),
        cuts.size(),
        found,
        recall,
        novelty,
        nearCut,
        precision,
        onMovingObject);

    for (int seg = 0; seg < parts.size(); seg++) {
      if (parts.get(seg).kind() != Kind.STATIC_NOISY) {
        continue;
      }
      double from = starts.get(seg);
      double to = seg + 1 < starts.size() ? starts.get(seg + 1) : end;
      List<Keyframe> inside = new ArrayList<>();
      for (int i = 0; i < keyframes.size(); i++) {
        // The cut into the segment is allowed its keyframe within 1 s.
        if (times.get(i) > from + 1.0 && times.get(i) < to) {
          inside.add(keyframes.get(i));
        }
      }
      long maxGapsInside = (long) Math.floor((to - from) / 30.0);
      System.out.printf(
          "static noisy segment %.0f-%.0f s: %d keyframes after the cut (max gap allows %d): %s%n",
          from,
          to,
          inside.size(),
          maxGapsInside,
          inside.stream().map(k -> k.getReason() + "@" + k.getNoveltyScore()).toList());
      assertTrue(inside.size() <= maxGapsInside, "static segment at " + from + " s: " + inside);
      assertTrue(inside.stream().allMatch(k -> k.getReason() == KeyframeReason.MAX_GAP));
    }
    assertTrue(recall >= 0.95, "recall of hard cuts " + recall);
    assertTrue(precision >= 0.85, "precision " + precision);
    assertTrue(onMovingObject >= 1, "the object crossing the scene is noticed");
  }

  @Test
  void aSlowPanGetsKeyframesAsTheViewDriftsButNotOnEveryFrame() {
    // 2 px per frame at 5 fps over a 960 px wide scene seen through a 320 px window: 64 s, the
    // view crossing its own width every 32 s.
    int w = 320;
    int h = 240;
    int wide = 960;
    byte[] world = world(wide, h);
    List<Frame> frames = new ArrayList<>();
    long t0 = 1_700_000_000L * SEC;
    int steps = (wide - w) / 2;
    for (int i = 0; i <= steps; i++) {
      ByteBuffer view = ByteBuffer.allocate(w * h * 3);
      for (int y = 0; y < h; y++) {
        view.put(world, (y * wide + i * 2) * 3, w * 3);
      }
      view.flip();
      frames.add(
          TestFrames.frame(
              "cam-pan",
              "s1",
              i,
              t0 + i * SEC / 5,
              FeatureExtractor.fromBgr(view, w, h, w * 3),
              1000));
    }
    List<Keyframe> keyframes;
    try (SamplerDriver s = new SamplerDriver(SamplerConfig.standard(), dir.resolve("state-pan"))) {
      frames.forEach(s::send);
      keyframes = s.keyframes();
    }
    List<Double> times =
        keyframes.stream().map(k -> (k.getCaptureTimeMicros() - t0) / 1e6).toList();
    long novel =
        keyframes.stream()
            .filter(
                k ->
                    k.getReason() == KeyframeReason.SCENE_CHANGE
                        || k.getReason() == KeyframeReason.MOTION)
            .count();
    System.out.printf(
        "slow pan: %d frames over %.0f s, %d keyframes (%d by novelty) at %s%n",
        frames.size(), steps / 5.0, keyframes.size(), novel, times);
    assertEquals(KeyframeReason.FIRST, keyframes.get(0).getReason());
    assertTrue(novel >= 3, "a pan across 4 screen widths brings new views: " + times);
    assertTrue(keyframes.size() <= frames.size() / 10, "not every frame: " + times);
    for (int i = 1; i < times.size(); i++) {
      assertTrue(times.get(i) - times.get(i - 1) <= 30.0, "heartbeat kept: " + times);
    }
  }

  /** A wide scene of large soft-edged blocks, so every window position looks different. */
  private static byte[] world(int w, int h) {
    SplittableRandom rnd = new SplittableRandom(7);
    int bw = 80;
    int bh = 60;
    int[][] colours = new int[w / bw][h / bh];
    for (int[] col : colours) {
      for (int j = 0; j < col.length; j++) {
        col[j] = rnd.nextInt(0x1000000);
      }
    }
    byte[] out = new byte[w * h * 3];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int c = colours[x / bw][y / bh];
        int n = rnd.nextInt(9) - 4;
        out[i++] = clamp((c & 0xff) + n);
        out[i++] = clamp((c >> 8 & 0xff) + n);
        out[i++] = clamp((c >> 16 & 0xff) + n);
      }
    }
    return out;
  }

  private static byte clamp(int v) {
    return (byte) Math.max(0, Math.min(255, v));
  }

  private static int segmentAt(List<Double> starts, double t) {
    int s = 0;
    for (int i = 0; i < starts.size(); i++) {
      if (t >= starts.get(i) - 1e-9) {
        s = i;
      }
    }
    return s;
  }
}
