package io.streamsight.archive.clips;

import io.streamsight.archive.thumbs.ThumbnailStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Clips as files {@code clips/<first two hex>/<id>.mp4} beside the thumbnails, one per alert event.
 * The id is derived from the event id (the same hash the thumbnails use), so serving a clip never
 * puts an event id into a path and a rewritten clip replaces the old one.
 */
public final class ClipStore {
  private final Path dir;

  public ClipStore(Path dir) {
    this.dir = dir;
  }

  /** The file of an event's clip (it may not exist). */
  public Path path(String eventId) {
    String id = ThumbnailStore.id("clip:" + eventId, 0);
    return dir.resolve(id.substring(0, 2)).resolve(id + ".mp4");
  }

  /** The event's clip, when one was written. */
  public Optional<Path> find(String eventId) {
    Path p = path(eventId);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Deletes an event's clip; returns the bytes freed (retention and the disk budget). */
  public long delete(String eventId) {
    Path p = path(eventId);
    try {
      long size = Files.isRegularFile(p) ? Files.size(p) : 0;
      Files.deleteIfExists(p);
      return size;
    } catch (IOException e) {
      throw new io.streamsight.archive.ArchiveException(
          "cannot delete clip " + p + ": " + e.getMessage(), e);
    }
  }
}
