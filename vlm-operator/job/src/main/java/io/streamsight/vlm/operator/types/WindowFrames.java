package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.KeyframeRef;
import java.util.Arrays;
import java.util.List;

/**
 * The frames kept for one camera window, in capture order (an array so Flink avoids Kryo). Only
 * references: images are resolved inside inference (see {@link FrameRef}).
 *
 * @param closed true once the camera's event time passed the window's end (the window is final and
 *     gets its summary); false for the window so far, sent as each keyframe arrives so that rules
 *     can fire before the window closes
 */
public record WindowFrames(
    String cameraId,
    long windowStartMicros,
    long windowEndMicros,
    FrameRef[] frames,
    boolean closed) {

  /** Capture time of the newest frame (the one that made a window-so-far). */
  public long newestCaptureMicros() {
    long t = Long.MIN_VALUE;
    for (FrameRef f : frames) {
      t = Math.max(t, f.captureMicros());
    }
    return t;
  }

  /**
   * A tick: no window, the camera's event time reached {@code progress}'s capture time (a sampler
   * progress record, see {@link FrameRef#isProgress}). Sent on to the alert events so that an open
   * event can clear, time out or see its camera end while no keyframe arrives (a static scene, an
   * ended stream); never scored, described or kept.
   */
  public static WindowFrames tick(FrameRef progress) {
    long t = progress.captureMicros();
    return new WindowFrames(progress.cameraId(), t, t, new FrameRef[] {progress}, false);
  }

  /** True for a {@link #tick}. */
  public boolean isTick() {
    return !closed && frames.length == 1 && frames[0].isProgress();
  }

  /** The same window holding only {@code kept} (frames whose images could not be read dropped). */
  public WindowFrames withFrames(List<FrameRef> kept) {
    return new WindowFrames(
        cameraId, windowStartMicros, windowEndMicros, kept.toArray(FrameRef[]::new), closed);
  }

  public List<KeyframeRef> refs() {
    return Arrays.stream(frames).map(FrameRef::toRef).toList();
  }
}
