package io.streamsight.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.embedded.video.SyntheticVideo.VideoInfo;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.ingest.source.VideoFrames;
import io.streamsight.schemas.avro.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame pipeline on real FFmpeg, without Kafka. */
class VideoFramesIT {
  @TempDir static Path dir;
  static VideoInfo video;

  @BeforeAll
  static void writeVideo() throws Exception {
    // 4 s at 25 fps: 2 s red, 2 s colour bars.
    video =
        SyntheticVideo.builder(640, 360, 25)
            .add(Segment.solid(200, 30, 30, 50))
            .add(Segment.pattern(Segment.Pattern.BARS, 50))
            .write(dir.resolve("clip.mp4"));
  }

  @Test
  void samplesByTimestampToTheTargetFps() throws Exception {
    List<Frame> frames = VideoFrames.readAll(video.path(), "cam", settings(5));
    assertEquals(20, frames.size(), 1.0);
    for (int i = 1; i < frames.size(); i++) {
      assertTrue(frames.get(i).getCaptureTimeMicros() > frames.get(i - 1).getCaptureTimeMicros());
      assertEquals(i, frames.get(i).getSequence());
    }
  }

  @Test
  void downscalesToTheMaxEdgeAndEncodesDecodableJpeg() throws Exception {
    List<Frame> frames = VideoFrames.readAll(video.path(), "cam", settings(2).withMaxEdge(320));
    Frame f = frames.get(0);
    assertEquals(320, f.getWidth());
    assertEquals(180, f.getHeight());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.getJpeg().array()));
    assertEquals(320, img.getWidth());
    assertEquals(180, img.getHeight());
    int rgb = img.getRGB(160, 90);
    assertTrue(((rgb >> 16) & 0xff) > 150 && ((rgb >> 8) & 0xff) < 80, "red frame decodes red");
  }

  @Test
  void featuresAreStableForIdenticalFramesAndDifferForDifferentOnes() throws Exception {
    List<Frame> frames = VideoFrames.readAll(video.path(), "cam", settings(5));
    Frame a = frames.get(12);
    Frame b = frames.get(15);
    Frame c = frames.get(1);
    assertEquals(a.getFeatures().getDhash(), b.getFeatures().getDhash());
    assertEquals(a.getFeatures().getThumbnail(), b.getFeatures().getThumbnail());
    assertNotEquals(a.getFeatures().getDhash(), c.getFeatures().getDhash());
    float redShare = c.getFeatures().getColorHistogram().get(6);
    assertTrue(redShare > 0.9f, "red frame has its red mass in bin 6, got " + redShare);
  }

  @Test
  void keyframesOnlyDecodesOneFramePerGop() throws Exception {
    List<Frame> out = new ArrayList<>();
    VideoFrames.Summary s =
        VideoFrames.forEach(video.path(), "cam", settings(25), SkipMode.KEYFRAMES, out::add);
    assertEquals(4, s.decoded());
    assertEquals(4, out.size());
    // Gaps between the 4 keyframes; the tail after the last one is not visible as a gap.
    assertEquals(3 * 24, s.skippedByDecode());
  }

  @Test
  void autoSkippingDecodesFewerFramesOfABFrameStreamAndKeepsTheRate() throws Exception {
    // B-frames need libx264 from the ffmpeg CLI (the bundled encoder writes baseline only).
    Path bframes = dir.resolve("bframes.mp4");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "ffmpeg",
                  "-v",
                  "error",
                  "-y",
                  "-f",
                  "lavfi",
                  "-i",
                  "testsrc2=size=320x240:rate=25",
                  "-t",
                  "4",
                  "-c:v",
                  "libx264",
                  "-bf",
                  "3",
                  "-g",
                  "50",
                  "-pix_fmt",
                  "yuv420p",
                  bframes.toString())
              .inheritIO()
              .start();
    } catch (java.io.IOException e) {
      p = null;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        p != null && p.waitFor() == 0, "skipped: needs the ffmpeg CLI with libx264 (apt ffmpeg)");
    List<Frame> all = new ArrayList<>();
    VideoFrames.Summary none =
        VideoFrames.forEach(bframes, "cam", settings(5), SkipMode.NONE, all::add);
    List<Frame> sampled = new ArrayList<>();
    VideoFrames.Summary auto =
        VideoFrames.forEach(bframes, "cam", settings(5), SkipMode.AUTO, sampled::add);
    assertEquals(100, none.decoded());
    assertTrue(auto.decoded() < 80, "decoded " + auto.decoded());
    assertEquals(100, auto.decoded() + auto.skippedByDecode() + auto.corruptPackets(), 3.0);
    assertEquals(20, sampled.size(), 1.0);
    for (int i = 1; i < sampled.size(); i++) {
      long gap = sampled.get(i).getPtsMicros() - sampled.get(i - 1).getPtsMicros();
      assertTrue(gap >= 120_000 && gap <= 280_000, "gap " + gap);
    }
  }

  private static PipelineSettings settings(double fps) {
    return PipelineSettings.defaults().withFps(fps);
  }
}
