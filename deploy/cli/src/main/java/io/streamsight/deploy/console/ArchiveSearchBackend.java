package io.streamsight.deploy.console;

import io.streamsight.archive.ArchiveException;
import io.streamsight.archive.ArchiveReader;
import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveLayout;
import io.streamsight.archive.search.Hit;
import io.streamsight.archive.search.SearchRequest.Mode;
import io.streamsight.archive.thumbs.ThumbnailStore;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.search.SearchHit;
import io.streamsight.console.search.SearchRequest;
import io.streamsight.console.search.SearchUnavailableException;
import io.streamsight.embeddings.MiniLmEmbedder;
import io.streamsight.embeddings.TextEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's search over an archive directory (sinks/archive), read-only beside whoever writes
 * it: another {@code streamsight archive} process or an archive in this JVM (the demo).
 *
 * <p>The reader is opened on the first search that finds an index commit, so a console may start
 * before the archive has committed anything (until then a search answers 503 saying so). Every
 * search first refreshes the reader: a commit of the archive is searchable on the next search.
 * Refreshing when nothing changed costs one directory listing, small beside embedding the query.
 *
 * <p>Times filter on a window's start, as the archive does (the console's in-memory alert list
 * takes windows ending after {@code since}; a window that began before {@code since} and ran past
 * it is not a search hit). Images: archived documents keep thumbnails by id, not keyframe
 * references, so hits carry thumbnail ids served from the archive's thumbnail directory ({@link
 * #thumbnail}); they outlive the keyframes topic's retention.
 */
public final class ArchiveSearchBackend implements SearchBackend {
  private static final Pattern THUMBNAIL_ID = Pattern.compile("[0-9a-f]{24}");

  private final Path dir;
  private final TextEmbedder embedder;
  private final boolean ownsEmbedder;
  private final ThumbnailStore thumbnails;
  private ArchiveReader reader; // guarded by this; null until the index has a commit
  private boolean closed; // guarded by this

  private ArchiveSearchBackend(Path dir, TextEmbedder embedder, boolean ownsEmbedder) {
    this.dir = dir;
    this.embedder = embedder;
    this.ownsEmbedder = ownsEmbedder;
    this.thumbnails = new ThumbnailStore(new ArchiveLayout(dir).thumbnails());
  }

  /** Searches {@code dir} with a caller-owned embedder (the one the archive in this JVM uses). */
  public static ArchiveSearchBackend sharing(Path dir, TextEmbedder embedder) {
    return new ArchiveSearchBackend(dir, embedder, false);
  }

  /** Searches {@code dir} with its own all-MiniLM-L6-v2 embedder (about a second to load). */
  public static ArchiveSearchBackend open(Path dir) {
    return new ArchiveSearchBackend(dir, MiniLmEmbedder.load(0), true);
  }

  @Override
  public List<SearchHit> search(SearchRequest r) throws SearchUnavailableException {
    if (r.fromMicros() != null && r.toMicros() != null && r.fromMicros() >= r.toMicros()) {
      return List.of(); // no window starts at or after `since` and before an earlier `until`
    }
    io.streamsight.archive.search.SearchRequest request =
        new io.streamsight.archive.search.SearchRequest(
            r.text(),
            null,
            r.cameraId(), // a camera id is a glob matching only itself (ids hold no * or ?)
            r.fromMicros(),
            r.toMicros(),
            null,
            r.limit(),
            Mode.HYBRID);
    List<Hit> hits = reader().search(request);
    return hits.stream().map(ArchiveSearchBackend::toSearchHit).toList();
  }

  static SearchHit toSearchHit(Hit h) {
    ArchiveDoc d = h.doc();
    return new SearchHit(
        d.kind().label(),
        d.cameraId(),
        d.windowStartMicros(),
        d.windowEndMicros(),
        d.text(),
        h.score(),
        List.of(),
        d.thumbnails());
  }

  @Override
  public Optional<byte[]> thumbnail(String id) throws SearchUnavailableException {
    if (!THUMBNAIL_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(thumbnails.path(id)));
    } catch (NoSuchFileException gone) {
      return Optional.empty(); // deleted by retention or the disk budget
    } catch (IOException e) {
      throw new SearchUnavailableException(
          "cannot read archived thumbnail " + id + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean configured() {
    return true;
  }

  /** The reader, opened on first use and refreshed to the archive's latest commit. */
  private synchronized ArchiveReader reader() throws SearchUnavailableException {
    if (closed) {
      throw new SearchUnavailableException("the archive search is shut down");
    }
    if (reader == null) {
      try {
        reader = ArchiveReader.open(dir, embedder);
      } catch (ArchiveException e) {
        throw new SearchUnavailableException(
            "the archive is not searchable yet: " + e.getMessage(), e);
      }
      return reader;
    }
    try {
      reader.refresh();
    } catch (IOException e) {
      throw new SearchUnavailableException(
          "cannot refresh archive " + dir + ": " + e.getMessage(), e);
    }
    return reader;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (IOException e) {
      // Read-only: nothing is lost by a failed close.
    } finally {
      reader = null;
      if (ownsEmbedder) {
        embedder.close();
      }
    }
  }
}
