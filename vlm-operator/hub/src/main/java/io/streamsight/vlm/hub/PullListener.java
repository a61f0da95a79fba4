package io.streamsight.vlm.hub;

/** What a pull reports as it goes; the CLI draws a progress bar, tests record the notes. */
public interface PullListener {
  PullListener NONE = new PullListener() {};

  /** Something the user should know that is not a failure (a skipped optional file, a retry). */
  default void note(String message) {}

  /**
   * A transfer of {@code path} begins at byte {@code offset} (non-zero when resuming) of {@code
   * total} bytes (-1 when unknown).
   */
  default void started(String path, long offset, long total) {}

  /** {@code done} bytes of {@code path} are on disk; called often, listeners throttle. */
  default void progress(String path, long done, long total) {}

  /** {@code path} is complete and verified; {@code skipped} when it was already present. */
  default void finished(String path, long size, boolean skipped) {}
}
