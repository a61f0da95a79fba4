package io.streamsight.vlm.operator.images;

import io.streamsight.vlm.operator.types.FrameRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link FrameFetcher#none()}: the job's keyframes do not come from Kafka, so nothing to read. */
final class NoFetcher implements FrameFetcher {
  static final Factory FACTORY = new NoneFactory();

  private static final class NoneFactory implements Factory {
    private static final long serialVersionUID = 1L;

    @Override
    public FrameFetcher open(io.streamsight.vlm.operator.config.OperatorConfig.ImagesConfig c) {
      return new NoFetcher();
    }
  }

  @Override
  public CompletableFuture<List<Fetched>> fetch(List<FrameRef> refs) {
    return CompletableFuture.completedFuture(
        refs.stream()
            .map(
                r ->
                    Fetched.failed(
                        new FrameFetchException(
                            r,
                            "not in this TaskManager's image cache, and the job's keyframe source"
                                + " is not Kafka, so it cannot be read back",
                            null)))
            .toList());
  }

  @Override
  public void close() {}
}
