package io.streamsight.deploy.demo;

import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's sample video, generated once: 60 s of clearly different scenes (10 s each, with sensor
 * noise) so the summaries change and the example rules have something to find.
 */
final class SampleVideo {
  private SampleVideo() {}

  static Path ensure(Path dir) throws IOException {
    Path file = dir.resolve("sample-scenes-v1.mp4");
    if (Files.isRegularFile(file) && Files.size(file) > 0) {
      return file;
    }
    Files.createDirectories(dir);
    int fps = 10;
    int seg = 10 * fps;
    Path tmp = dir.resolve("sample-scenes-v1.tmp.mp4");
    SyntheticVideo.builder(640, 360, fps)
        .add(Segment.solid(200, 30, 30, seg).withNoise(6))
        .add(Segment.solid(230, 220, 40, seg).withNoise(6))
        .add(Segment.solid(30, 40, 200, seg).withNoise(6))
        .add(Segment.solid(40, 170, 60, seg).withNoise(6))
        .add(Segment.solid(235, 235, 235, seg).withNoise(6))
        .add(Segment.solid(30, 40, 200, seg).withNoise(6))
        .write(tmp);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
