package io.streamsight.ingest.source;

import io.streamsight.ingest.frame.FramePipeline;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.schemas.avro.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns a video file into {@link Frame} records exactly as ingest does (decode, sample, downscale,
 * JPEG, features), without Kafka: for tests, benchmarks and demos of later stages.
 *
 * <pre>{@code
 * List<Frame> frames = VideoFrames.readAll(path, "cam-1", PipelineSettings.defaults().withFps(5));
 * }</pre>
 *
 * Capture time of a frame = the time the read started + (PTS - first PTS).
 */
public final class VideoFrames {
  private VideoFrames() {}

  /** Counts of one pass over a file. */
  public record Summary(long decoded, long published, long skippedByDecode, long corruptPackets) {}

  /** Streams the frames of {@code file} to {@code sink}; returns counts. */
  public static Summary forEach(
      Path file,
      String cameraId,
      PipelineSettings settings,
      GrabberSource.SkipMode skip,
      Consumer<Frame> sink)
      throws SourceException {
    SourceSpec spec = SourceSpec.parse(file.toString());
    long start = System.currentTimeMillis() * 1000;
    long published = 0;
    try (GrabberSource src = GrabberSource.open(spec, 1);
        FramePipeline pipeline =
            new FramePipeline(cameraId, UUID.randomUUID().toString(), settings)) {
      long firstPts = Long.MIN_VALUE;
      GrabberSource.Picture p;
      while ((p = src.next(skip, pipeline.untilDueMicros())) != null) {
        if (firstPts == Long.MIN_VALUE) {
          firstPts = p.ptsMicros();
        }
        if (pipeline.sample(p.ptsMicros())) {
          sink.accept(pipeline.toFrame(p.frame(), p.ptsMicros(), start + p.ptsMicros() - firstPts));
          published++;
        }
      }
      return new Summary(src.decoded(), published, src.skippedByDecode(), src.corruptPackets());
    }
  }

  /** All frames of {@code file}, decoding with automatic skipping. */
  public static List<Frame> readAll(Path file, String cameraId, PipelineSettings settings)
      throws SourceException {
    List<Frame> out = new ArrayList<>();
    forEach(file, cameraId, settings, GrabberSource.SkipMode.AUTO, out::add);
    return out;
  }
}
