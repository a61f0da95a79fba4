package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.KeyframeRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The frames kept for one camera window, in capture order (an array so Flink avoids Kryo). */
public record WindowFrames(
    String cameraId, long windowStartMicros, long windowEndMicros, FrameRef[] frames) {

  public List<byte[]> images() {
    List<byte[]> out = new ArrayList<>(frames.length);
    for (FrameRef f : frames) {
      out.add(f.jpeg());
    }
    return out;
  }

  public List<KeyframeRef> refs() {
    return Arrays.stream(frames).map(FrameRef::toRef).toList();
  }
}
