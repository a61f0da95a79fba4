package io.streamsight.vlm.model;

import java.nio.file.Path;

/**
 * A model directory that cannot be used (missing file, bad config, wrong tensor names). Fatal: it
 * will not fix itself by retrying, so callers should fail at start.
 */
public class ModelLoadException extends RuntimeException {
  private final Path path;

  public ModelLoadException(Path path, String message) {
    this(path, message, null);
  }

  public ModelLoadException(Path path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
