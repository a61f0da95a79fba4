package io.streamsight.deploy.summarize;

import io.streamsight.sampler.CameraSettings;
import io.streamsight.sampler.FrameHeader;
import io.streamsight.sampler.KeyframeDecider;
import io.streamsight.sampler.SamplerState;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.vlm.operator.FrameSelector;
import io.streamsight.vlm.operator.types.FrameRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Does in-process what the frame-sampler and the operator's windows do in the pipeline: each frame
 * goes through the sampler's {@link KeyframeDecider} (same rules and defaults), and the keyframes
 * are grouped into tumbling windows of event time, of which at most K reach the model, chosen by
 * the operator's {@link FrameSelector}. Not thread-safe: driven by the summariser's loop.
 */
final class WindowAssembler {
  /**
   * One closed window.
   *
   * @param frames frames decoded in it (0: none could be, e.g. a corrupt stretch of the file)
   * @param keyframes the keyframes sent to the model, in capture order; empty = nothing new
   * @param images their JPEGs, same order
   */
  record Window(
      int index,
      long startMicros,
      long endMicros,
      int frames,
      List<FrameRef> keyframes,
      List<byte[]> images) {
    boolean nothingNew() {
      return keyframes.isEmpty();
    }
  }

  private final long windowMicros;
  private final CameraSettings sampler;
  private final int maxFrames;
  private SamplerState state;
  private int current = -1;
  private int frames;
  private final List<FrameRef> keyframes = new ArrayList<>();
  // The operator's FrameRef carries no image; here the images stay beside it, by sequence.
  private final Map<Long, byte[]> images = new HashMap<>();
  private int keyframeCount;

  WindowAssembler(long windowMicros, CameraSettings sampler, int maxFrames) {
    if (windowMicros <= 0 || maxFrames < 1) {
      throw new IllegalArgumentException("window must be > 0 and maxFrames >= 1");
    }
    this.windowMicros = windowMicros;
    this.sampler = sampler;
    this.maxFrames = maxFrames;
  }

  /** Adds a frame (in capture order); returns the windows it closed, empty ones included. */
  List<Window> add(Frame f) {
    long t = f.getCaptureTimeMicros();
    int index = (int) Math.max(0, t / windowMicros);
    List<Window> closed = new ArrayList<>();
    if (current < 0) {
      current = index;
    }
    while (index > current) {
      closed.add(closeCurrent(Long.MAX_VALUE));
    }
    frames++;
    KeyframeDecider.Decision d = KeyframeDecider.decide(state, header(f), sampler);
    state = d.next();
    if (d.emit()) {
      keyframeCount++;
      keyframes.add(
          new FrameRef(
              f.getCameraId(),
              t,
              f.getSequence(),
              "",
              -1,
              f.getSequence(),
              (float) d.novelty(),
              false));
      images.put(f.getSequence(), bytes(f.getJpeg()));
    }
    return closed;
  }

  /**
   * Closes the open window and any window up to {@code durationMicros} (the video's end; the last
   * window is cut there). Windows after the last frame come back empty: the file's end could not be
   * decoded. A sliver of a window at the very end (under a second, or half a window) is left out:
   * containers often state a duration a frame longer than the last picture.
   */
  List<Window> finish(long durationMicros) {
    List<Window> closed = new ArrayList<>();
    if (current < 0) {
      return closed;
    }
    long sliver = Math.min(1_000_000, windowMicros / 2);
    do {
      closed.add(closeCurrent(durationMicros));
    } while ((long) current * windowMicros + sliver < durationMicros);
    return closed;
  }

  int keyframes() {
    return keyframeCount;
  }

  private Window closeCurrent(long videoEnd) {
    long start = current * windowMicros;
    long end = Math.min(start + windowMicros, videoEnd);
    if (end <= start) {
      end = start + windowMicros;
    }
    List<FrameRef> chosen =
        keyframes.isEmpty() ? List.of() : FrameSelector.select(keyframes, maxFrames, windowMicros);
    List<byte[]> chosenImages = chosen.stream().map(k -> images.get(k.sequence())).toList();
    Window w = new Window(current, start, end, frames, chosen, chosenImages);
    current++;
    frames = 0;
    keyframes.clear();
    images.clear();
    return w;
  }

  private static FrameHeader header(Frame f) {
    FrameFeatures x = f.getFeatures();
    float[] hist = new float[x.getColorHistogram().size()];
    for (int i = 0; i < hist.length; i++) {
      hist[i] = x.getColorHistogram().get(i);
    }
    return new FrameHeader(
        f.getCameraId(),
        f.getIngestSessionId(),
        f.getSequence(),
        f.getCaptureTimeMicros(),
        x.getDhash(),
        bytes(x.getThumbnail()),
        hist);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
