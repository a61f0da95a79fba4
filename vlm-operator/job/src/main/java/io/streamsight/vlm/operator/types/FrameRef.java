package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.KeyframeRef;

/**
 * A keyframe as the operator carries it: its image, its event time and where it lives in {@code
 * cameras.keyframes} (so outputs can reference it instead of copying it). A record of plain fields
 * so Flink serialises it as a POJO, not with Kryo.
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
