package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.vlm.timeline.KeyframeMark;

/**
 * {@link KeyframeRef} ↔ the timeline's {@link KeyframeMark} (whose ref is a string, so the
 * Flink-free timeline classes need not know Avro): {@code topic/partition/offset/sequence}. Topic
 * names cannot contain {@code /}, so the string splits back unambiguously.
 */
final class KeyframeMarks {
  private KeyframeMarks() {}

  static KeyframeMark of(KeyframeRef r) {
    return new KeyframeMark(
        r.getCaptureTimeMicros(),
        r.getTopic() + "/" + r.getPartition() + "/" + r.getOffset() + "/" + r.getSequence());
  }

  /** The reference back, or null when the mark holds none (e.g. made by other code). */
  static KeyframeRef toRef(KeyframeMark m) {
    String[] p = m.ref().split("/");
    if (p.length != 4) {
      return null;
    }
    try {
      return KeyframeRef.newBuilder()
          .setTopic(p[0])
          .setPartition(Integer.parseInt(p[1]))
          .setOffset(Long.parseLong(p[2]))
          .setSequence(Long.parseLong(p[3]))
          .setCaptureTimeMicros(m.captureMicros())
          .build();
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
