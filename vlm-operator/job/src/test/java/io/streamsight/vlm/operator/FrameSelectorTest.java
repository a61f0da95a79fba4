package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.vlm.operator.types.FrameRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameSelectorTest {

  @Test
  void keepsAllFramesInCaptureOrderWhenTheyFit() {
    List<FrameRef> in = List.of(frame("c", 3000, 0.1f), frame("c", 1000, 0.9f));
    List<FrameRef> out = FrameSelector.select(in, 8, 10_000_000);
    assertEquals(List.of(1000_000L, 3000_000L), out.stream().map(FrameRef::captureMicros).toList());
  }

  @Test
  void keepsNovelFramesAndSpreadsTheRestOverTheWindow() {
    List<FrameRef> in = new ArrayList<>();
    // A burst of near-identical frames at the start, one scene change at 5 s, a quiet tail.
    for (int i = 0; i < 10; i++) {
      in.add(frame("c", i * 100L, 0.05f));
    }
    in.add(frame("c", 5000, 1.0f));
    in.add(frame("c", 9000, 0.1f));
    List<Long> kept =
        FrameSelector.select(in, 3, 10_000_000).stream().map(FrameRef::captureMicros).toList();
    assertEquals(3, kept.size());
    assertEquals(true, kept.contains(5_000_000L), "the scene change is kept: " + kept);
    assertEquals(true, kept.contains(9_000_000L), "the far end of the window is kept: " + kept);
    assertEquals(1, kept.stream().filter(t -> t < 1_000_000L).count(), "one frame of the burst");
  }

  @Test
  void choosesTheSameFramesEveryTime() {
    List<FrameRef> in = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      in.add(frame("c", i * 500L, (i * 7 % 5) / 5f));
    }
    List<FrameRef> reversed = new ArrayList<>(in);
    java.util.Collections.reverse(reversed);
    assertEquals(
        FrameSelector.select(in, 8, 10_000_000), FrameSelector.select(reversed, 8, 10_000_000));
  }

  @Test
  void keepsTheNewestFrameOfAWindowSoFarEvenWhenItIsTheLeastNovel() {
    List<FrameRef> in = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      in.add(frame("c", i * 1000L, 1.0f));
    }
    in.add(frame("c", 9100, 0f)); // a query keyframe of a static scene: nothing new in it
    List<Long> plain =
        FrameSelector.select(in, 4, 10_000_000).stream().map(FrameRef::captureMicros).toList();
    assertEquals(false, plain.contains(9_100_000L), "novelty and spread alone drop it: " + plain);
    List<Long> kept =
        FrameSelector.select(in, 4, 10_000_000, true).stream()
            .map(FrameRef::captureMicros)
            .toList();
    assertEquals(4, kept.size());
    assertEquals(9_100_000L, kept.get(kept.size() - 1), "the newest frame is kept: " + kept);
  }
}
