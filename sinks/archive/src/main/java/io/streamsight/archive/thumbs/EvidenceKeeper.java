package io.streamsight.archive.thumbs;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a document's keyframes out of {@code cameras.keyframes} as thumbnails before the topic's
 * retention deletes them. A keyframe that is gone or refused costs the document that picture, not
 * the document: it is counted and logged.
 */
public final class EvidenceKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceKeeper.class);

  private final KeyframeFetcher fetcher;
  private final Thumbnailer thumbnailer;
  private final ThumbnailStore store;
  private long missing;
  private long refused;

  public EvidenceKeeper(KeyframeFetcher fetcher, Thumbnailer thumbnailer, ThumbnailStore store) {
    this.fetcher = fetcher;
    this.thumbnailer = thumbnailer;
    this.store = store;
  }

  /** The document with the thumbnails that could be kept. */
  public ArchiveDoc keep(ArchiveDoc doc, List<KeyframeRef> refs) {
    if (refs.isEmpty() || fetcher == null) {
      return doc;
    }
    List<String> ids = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < refs.size(); i++) {
      KeyframeRef ref = refs.get(i);
      Keyframe k;
      try {
        k = fetcher.fetch(ref);
      } catch (KeyframeFetcher.Unavailable e) {
        missing++;
        LOG.debug("{}: no thumbnail: {}", doc.id(), e.getMessage());
        continue;
      }
      try {
        java.nio.ByteBuffer jpeg = k.getJpeg().duplicate();
        byte[] raw = new byte[jpeg.remaining()];
        jpeg.get(raw);
        byte[] thumb = thumbnailer.thumbnail(raw);
        String id = ThumbnailStore.id(doc.id(), i);
        bytes += store.write(id, thumb);
        ids.add(id);
      } catch (ImageRefusedException e) {
        refused++;
        LOG.warn(
            "{}: keyframe {}-{}@{} refused: {}",
            doc.id(),
            ref.getTopic(),
            ref.getPartition(),
            ref.getOffset(),
            e.getMessage());
      }
    }
    return doc.withThumbnails(ids, bytes);
  }

  /** Keyframes that were no longer (or never) readable, since this keeper started. */
  public long missing() {
    return missing;
  }

  /** Keyframes whose image was refused (too large, not a JPEG, corrupt). */
  public long refused() {
    return refused;
  }

  @Override
  public void close() {
    if (fetcher != null) {
      fetcher.close();
    }
  }
}
