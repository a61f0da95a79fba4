package io.streamsight.vlm.operator.images;

import static io.streamsight.vlm.operator.images.ImageCacheTest.ref;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.operator.types.FrameRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameImagesTest {
  /**
   * An in-memory topic: offsets it holds are returned, offsets in {@code slow} fail retriably as
   * many times as their count says, the rest are gone.
   */
  static final class MemoryTopic implements FrameFetcher {
    final Map<Long, byte[]> records = new ConcurrentHashMap<>();
    final Map<Long, Integer> slow = new ConcurrentHashMap<>();
    final List<List<FrameRef>> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<List<Fetched>> fetch(List<FrameRef> refs) {
      calls.add(refs);
      List<Fetched> out = new ArrayList<>();
      for (FrameRef r : refs) {
        int left = slow.getOrDefault(r.offset(), 0);
        if (left > 0) {
          slow.put(r.offset(), left - 1);
          out.add(Fetched.failed(new RetriableFrameFetchException(r, "timed out", null)));
        } else if (records.containsKey(r.offset())) {
          out.add(Fetched.of(r, records.get(r.offset())));
        } else {
          out.add(Fetched.failed(new FrameFetchException(r, "deleted", null)));
        }
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {}
  }

  private final ImageCache cache = new ImageCache(1 << 20);
  private final MemoryTopic topic = new MemoryTopic();
  private final FrameImages images = new FrameImages(cache, topic, 2, Duration.ofMillis(1));

  @Test
  void shouldTakeCachedImagesWithoutAskingKafka() {
    cache.put(ref(1), new byte[] {1});
    cache.put(ref(2), new byte[] {2});

    FrameImages.Resolved r = images.resolve(new FrameRef[] {ref(1), ref(2)}).join();

    assertEquals(List.of(ref(1), ref(2)), r.frames());
    assertArrayEquals(new byte[] {2}, r.images().get(1));
    assertTrue(topic.calls.isEmpty());
  }

  @Test
  void shouldFetchOnlyTheMissesInOneCallAndCacheWhatItRead() {
    cache.put(ref(1), new byte[] {1});
    topic.records.put(2L, new byte[] {2});
    topic.records.put(3L, new byte[] {3});

    FrameImages.Resolved r = images.resolve(new FrameRef[] {ref(1), ref(2), ref(3)}).join();

    assertEquals(List.of(ref(1), ref(2), ref(3)), r.frames(), "capture order kept");
    assertEquals(List.of(List.of(ref(2), ref(3))), topic.calls);
    assertEquals(2, r.fetched());
    assertArrayEquals(new byte[] {3}, cache.get(ref(3)), "read back once, then cached");
  }

  @Test
  void shouldRetryARetriableFailureAndLeaveOutAFrameThatIsGone() {
    cache.put(ref(1), new byte[] {1});
    topic.records.put(2L, new byte[] {2});
    topic.slow.put(2L, 1); // one timeout, then it answers
    // ref(3) is not in the topic: deleted.

    FrameImages.Resolved r = images.resolve(new FrameRef[] {ref(1), ref(2), ref(3)}).join();

    assertEquals(List.of(ref(1), ref(2)), r.frames(), "summarised without the missing frame");
    assertEquals(1, r.missing().size());
    assertFalse(r.missing().get(0).retriable());
    assertEquals(ref(3), r.missing().get(0).ref());
    assertTrue(
        r.missingReason().contains("cameras.keyframes[0]@3"),
        "the reason names the frame: " + r.missingReason());
    assertEquals(List.of(List.of(ref(2), ref(3)), List.of(ref(2))), topic.calls);
  }

  @Test
  void shouldReportARetriableFailureThatOutlastsTheRetries() {
    topic.records.put(1L, new byte[] {1});
    topic.slow.put(1L, 10);

    FrameImages.Resolved r = images.resolve(new FrameRef[] {ref(1)}).join();

    assertTrue(r.none());
    assertTrue(r.missing().get(0).retriable());
    assertEquals(3, topic.calls.size(), "the first try and two retries");
  }
}
