package io.streamsight.ingest.config;

import io.streamsight.schemas.config.ConfigBinder;
import io.streamsight.schemas.config.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cameras of one ingest process, bound once from {@code cameras.yaml} (keys, defaults and docs:
 * {@link CamerasFile}; docs/configuration.md lists them; {@code ingest/cameras.example.yaml} is an
 * example). Errors name the file, the camera and the key.
 */
public record IngestConfig(List<CameraConfig> cameras) {
  public IngestConfig {
    cameras = List.copyOf(cameras);
    if (cameras.isEmpty()) {
      throw new ConfigException("cameras", "no cameras configured; at least one is required");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < cameras.size(); i++) {
      Integer first = seen.putIfAbsent(cameras.get(i).id(), i);
      if (first != null) {
        throw ConfigException.invalid(
            "cameras[" + i + "].id",
            cameras.get(i).id(),
            "an id no other camera has (cameras[" + first + "] has it)");
      }
    }
  }

  /** Binds {@code cameras.yaml}; a missing file or bad value fails naming file, camera and key. */
  public static IngestConfig load(Path file) {
    return ConfigBinder.load(file, CamerasFile.class, CamerasFile::toConfig);
  }
}
