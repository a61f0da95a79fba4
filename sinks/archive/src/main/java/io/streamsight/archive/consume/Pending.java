package io.streamsight.archive.consume;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.schemas.avro.KeyframeRef;
import java.util.List;

/** A decoded record waiting for its thumbnails and embedding. */
public record Pending(ArchiveDoc doc, List<KeyframeRef> thumbnailRefs) {
  public Pending {
    thumbnailRefs = List.copyOf(thumbnailRefs);
  }
}
