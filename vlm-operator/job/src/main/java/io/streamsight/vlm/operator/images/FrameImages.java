package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.types.FrameRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a window's frame references into images for the model: from the {@link ImageCache} first,
 * the misses in one {@link FrameFetcher} call (the Kafka one batches them per partition), what it
 * read put back into the cache. A retriable failure (Kafka slow) is tried again up to {@code
 * retries} times; a frame that still cannot be read is left out and reported, never thrown: the
 * caller summarises the window without it, or reports the window when none is left.
 */
public final class FrameImages {
  /**
   * The frames that could be read (capture order kept) with their images, and why the others could
   * not.
   */
  public record Resolved(
      List<FrameRef> frames, List<byte[]> images, List<FrameFetchException> missing, int fetched) {
    public boolean none() {
      return frames.isEmpty();
    }

    /** One line naming every missing frame and why (for logs, outcomes and dead letters). */
    public String missingReason() {
      StringBuilder b = new StringBuilder();
      for (FrameFetchException e : missing) {
        b.append(b.isEmpty() ? "" : "; ").append(e.getMessage());
      }
      return b.toString();
    }
  }

  private final ImageCache cache;
  private final FrameFetcher fetcher;
  private final int retries;
  private final Duration retryDelay;

  public FrameImages(ImageCache cache, FrameFetcher fetcher, int retries, Duration retryDelay) {
    this.cache = cache;
    this.fetcher = fetcher;
    this.retries = retries;
    this.retryDelay = retryDelay;
  }

  public CompletableFuture<Resolved> resolve(FrameRef[] frames) {
    Map<FrameRef, byte[]> found = new HashMap<>();
    List<FrameRef> misses = new ArrayList<>();
    for (FrameRef f : frames) {
      byte[] jpeg = cache.get(f);
      if (jpeg != null) {
        found.put(f, jpeg);
      } else {
        misses.add(f);
      }
    }
    if (misses.isEmpty()) {
      return CompletableFuture.completedFuture(assemble(frames, found, List.of(), 0));
    }
    return fetch(misses, retries)
        .thenApply(
            results -> {
              List<FrameFetchException> missing = new ArrayList<>();
              int fetched = 0;
              for (FrameFetcher.Fetched r : results) {
                if (r.error() != null) {
                  missing.add(r.error());
                } else {
                  cache.put(r.ref(), r.jpeg());
                  found.put(r.ref(), r.jpeg());
                  fetched++;
                }
              }
              return assemble(frames, found, missing, fetched);
            });
  }

  /** Fetches {@code refs}, then again those that failed retriably, while retries are left. */
  private CompletableFuture<List<FrameFetcher.Fetched>> fetch(List<FrameRef> refs, int left) {
    return fetcher
        .fetch(refs)
        .thenCompose(
            results -> {
              List<FrameRef> again = new ArrayList<>();
              for (FrameFetcher.Fetched r : results) {
                if (r.error() != null && r.error().retriable()) {
                  again.add(r.ref());
                }
              }
              if (again.isEmpty() || left == 0) {
                return CompletableFuture.completedFuture(results);
              }
              return CompletableFuture.supplyAsync(
                      () -> again,
                      CompletableFuture.delayedExecutor(
                          retryDelay.toMillis(), TimeUnit.MILLISECONDS))
                  .thenCompose(a -> fetch(a, left - 1))
                  .thenApply(
                      retried -> {
                        Map<FrameRef, FrameFetcher.Fetched> byRef = new HashMap<>();
                        retried.forEach(r -> byRef.put(r.ref(), r));
                        return results.stream().map(r -> byRef.getOrDefault(r.ref(), r)).toList();
                      });
            });
  }

  private static Resolved assemble(
      FrameRef[] frames,
      Map<FrameRef, byte[]> found,
      List<FrameFetchException> missing,
      int fetched) {
    List<FrameRef> kept = new ArrayList<>(frames.length);
    List<byte[]> images = new ArrayList<>(frames.length);
    for (FrameRef f : frames) {
      byte[] jpeg = found.get(f);
      if (jpeg != null) {
        kept.add(f);
        images.add(jpeg);
      }
    }
    return new Resolved(List.copyOf(kept), List.copyOf(images), List.copyOf(missing), fetched);
  }
}
