package io.streamsight.archive.index;

import java.nio.file.Path;

/** Where an archive keeps things under its directory: the Lucene index and the thumbnails. */
public record ArchiveLayout(Path root) {
  public Path index() {
    return root.resolve("index");
  }

  public Path thumbnails() {
    return root.resolve("thumbs");
  }
}
