package io.streamsight.ingest.config;

import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.ingest.source.SourceSpec;
import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.validation.CameraIds;
import java.util.Map;

/**
 * One camera, validated at start.
 *
 * @param id camera id, also the Kafka key ([A-Za-z0-9._-], 1..128 chars)
 * @param source parsed source URI
 * @param pipeline fps, max edge, JPEG quality
 * @param realtime pace a file at its native speed (ignored for live sources)
 * @param skip decode skipping mode
 * @param decodeThreads FFmpeg decoder threads for this camera
 */
public record CameraConfig(
    String id,
    SourceSpec source,
    PipelineSettings pipeline,
    boolean realtime,
    SkipMode skip,
    int decodeThreads) {
  /** Checks the values; a bad one fails naming its {@code cameras.yaml} key. */
  public CameraConfig {
    String idProblem = CameraIds.problem(id); // the grammar every stage checks
    if (idProblem != null) {
      throw new ConfigException("id", idProblem);
    }
    checkDecodeThreads(decodeThreads);
  }

  static int checkDecodeThreads(int decodeThreads) {
    return Checks.inRange("decodeThreads", decodeThreads, 1, 64);
  }

  /** A camera with defaults for everything but id, URI and pipeline. */
  public static CameraConfig of(String id, String uri, PipelineSettings pipeline) {
    return new CameraConfig(id, SourceSpec.parse(uri, Map.of()), pipeline, false, SkipMode.AUTO, 1);
  }

  public CameraConfig withRealtime(boolean realtime) {
    return new CameraConfig(id, source, pipeline, realtime, skip, decodeThreads);
  }

  public CameraConfig withSkip(SkipMode skip) {
    return new CameraConfig(id, source, pipeline, realtime, skip, decodeThreads);
  }
}
