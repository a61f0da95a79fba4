package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.KeyframeRef;

/**
 * A keyframe as the operator carries it: its image, its event time and where it lives in {@code
 * cameras.keyframes} (so outputs can reference it instead of copying it). A record of plain fields
 * so Flink serialises it as a POJO, not with Kryo. A progress record from the sampler ({@link
 * io.streamsight.schemas.records.Progress}) has no image ({@code jpeg == null}): it only moves its
 * camera's event time.
 */
public record FrameRef(
    String cameraId,
    long captureMicros,
    long sequence,
    String topic,
    int partition,
    long offset,
    float novelty,
    byte[] jpeg) {

  /** Event-time progress, not a frame: never part of a window. */
  public boolean isProgress() {
    return jpeg == null;
  }

  public KeyframeRef toRef() {
    return KeyframeRef.newBuilder()
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setCaptureTimeMicros(captureMicros)
        .setSequence(sequence)
        .build();
  }
}
