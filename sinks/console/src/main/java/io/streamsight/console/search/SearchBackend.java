package io.streamsight.console.search;

import java.util.List;
import java.util.Optional;

/**
 * Where {@code /api/search} and the search page get their results: the archive (sinks/archive) when
 * the console is started with {@code --archive DIR}, {@link #NOT_CONFIGURED} otherwise. Kept behind
 * this interface so the console does not depend on how the archive indexes.
 */
public interface SearchBackend extends AutoCloseable {

  /**
   * Finds archived summaries and alerts matching {@code request}, best first.
   *
   * @throws SearchUnavailableException when there is no archive to search (503 for the caller)
   */
  List<SearchHit> search(SearchRequest request) throws SearchUnavailableException;

  /**
   * The JPEG of a thumbnail named by a hit ({@link SearchHit#thumbnails}), or empty when the
   * backend keeps none by that id (deleted by retention, or never one of its ids).
   */
  default Optional<byte[]> thumbnail(String id) throws SearchUnavailableException {
    return Optional.empty();
  }

  /** Whether searching can work at all (shown by the page and {@code /api/health}). */
  boolean configured();

  /** Releases what the backend holds (an open index); the console's owner calls it, last. */
  @Override
  default void close() {}

  /** The console without an archive: every search answers 503 saying how to get one. */
  SearchBackend NOT_CONFIGURED =
      new SearchBackend() {
        @Override
        public List<SearchHit> search(SearchRequest request) throws SearchUnavailableException {
          throw new SearchUnavailableException(
              "search needs the archive: start the console with --archive DIR (the directory of"
                  + " a streamsight archive)");
        }

        @Override
        public boolean configured() {
          return false;
        }
      };
}
