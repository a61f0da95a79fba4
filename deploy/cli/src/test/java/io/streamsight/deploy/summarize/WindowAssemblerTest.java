package io.streamsight.deploy.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.sampler.CameraSettings;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {
  private static final long S = 1_000_000;

  /** A frame of a flat grey scene of brightness {@code grey}, at {@code micros}. */
  private static Frame frame(long seq, long micros, int grey) {
    byte[] thumb = new byte[64];
    Arrays.fill(thumb, (byte) grey);
    List<Float> hist = new ArrayList<>(Collections.nCopies(24, 0f));
    for (int ch = 0; ch < 3; ch++) {
      hist.set(ch * 8 + grey / 32, 1f);
    }
    return Frame.newBuilder()
        .setCameraId("video")
        .setIngestSessionId("s")
        .setSequence(seq)
        .setCaptureTimeMicros(micros)
        .setPtsMicros(micros)
        .setWidth(16)
        .setHeight(16)
        .setJpeg(ByteBuffer.wrap(new byte[] {(byte) grey}))
        .setFeatures(
            FrameFeatures.newBuilder()
                .setDhash(0)
                .setThumbnail(ByteBuffer.wrap(thumb))
                .setColorHistogram(hist)
                .build())
        .build();
  }

  @Test
  void shouldCutWindowsByEventTimeAndSendOnlyKeyframes() {
    WindowAssembler a = new WindowAssembler(10 * S, CameraSettings.DEFAULTS, 8);
    List<WindowAssembler.Window> closed = new ArrayList<>();
    long seq = 0;
    // 0-20 s dark, 20-30 s bright, at 2 fps; no frames at all in 30-40 s; 40-45 s bright.
    for (long t = 0; t < 30 * S; t += S / 2) {
      closed.addAll(a.add(frame(seq++, t, t < 20 * S ? 20 : 230)));
    }
    for (long t = 40 * S; t < 45 * S; t += S / 2) {
      closed.addAll(a.add(frame(seq++, t, 230)));
    }
    closed.addAll(a.finish(45 * S));
    assertEquals(5, closed.size());
    assertEquals(
        List.of(0, 1, 2, 3, 4), closed.stream().map(WindowAssembler.Window::index).toList());
    assertEquals(1, closed.get(0).keyframes().size(), "first frame");
    assertTrue(closed.get(1).nothingNew(), "same scene, no keyframe");
    assertEquals(20 * S, closed.get(2).keyframes().get(0).captureMicros(), "the cut");
    assertEquals(0, closed.get(3).frames(), "nothing decoded in 30-40 s");
    assertEquals(40 * S, closed.get(4).startMicros());
    assertEquals(45 * S, closed.get(4).endMicros(), "the last window ends with the video");
    assertEquals(2, a.keyframes());
  }

  @Test
  void shouldEmitEmptyWindowsUpToTheVideoEndButNotASliver() {
    WindowAssembler a = new WindowAssembler(10 * S, CameraSettings.DEFAULTS, 8);
    a.add(frame(0, 0, 100));
    List<WindowAssembler.Window> closed = a.finish(30 * S + S / 2);
    // [0,10) with the frame, [10,20) and [20,30) undecodable, [30,30.5) a sliver left out.
    assertEquals(3, closed.size());
    assertEquals(0, closed.get(2).frames());
  }

  @Test
  void shouldKeepAtMostKKeyframesPerWindow() {
    WindowAssembler a = new WindowAssembler(10 * S, CameraSettings.DEFAULTS, 2);
    long seq = 0;
    // A new scene every second: the sampler's min gap (1 s) lets each through.
    for (long t = 0; t < 10 * S; t += S) {
      a.add(frame(seq++, t, seq % 2 == 0 ? 20 : 230));
    }
    List<WindowAssembler.Window> closed = a.finish(10 * S);
    assertEquals(1, closed.size());
    assertEquals(2, closed.get(0).keyframes().size());
    assertTrue(a.keyframes() > 2);
  }
}
