package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.config.OperatorConfig.ImagesConfig;
import io.streamsight.vlm.operator.types.FrameRef;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads keyframe images back from where their references point, for frames the {@link ImageCache}
 * does not hold. Behind an interface so the job gets the one its I/O provides: Kafka in production
 * ({@link KafkaFrameFetcher}), none for in-memory test sources (whose images are always cached).
 */
public interface FrameFetcher extends AutoCloseable {
  /**
   * One result per reference, in order. Completes normally: a frame that cannot be read is a result
   * with its typed error, so one missing frame never fails the others.
   */
  CompletableFuture<List<Fetched>> fetch(List<FrameRef> refs);

  @Override
  void close();

  /** The image of {@code ref}, or why it could not be read (exactly one of the two is set). */
  record Fetched(FrameRef ref, byte[] jpeg, FrameFetchException error) {
    public static Fetched of(FrameRef ref, byte[] jpeg) {
      return new Fetched(ref, jpeg, null);
    }

    public static Fetched failed(FrameFetchException e) {
      return new Fetched(e.ref(), null, e);
    }
  }

  /** Shipped with the job graph; each inference subtask opens its own fetcher. */
  interface Factory extends Serializable {
    FrameFetcher open(ImagesConfig config);
  }

  /** For sources that are not Kafka (tests): every miss is a fatal error naming the frame. */
  static Factory none() {
    return NoFetcher.FACTORY;
  }
}
