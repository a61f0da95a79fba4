package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;

/** An input record the operator could not use, with why; it becomes a {@link DeadLetter}. */
public record Rejected(
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    String errorClass,
    String errorMessage) {

  public DeadLetter toDeadLetter(String stage, long nowMicros) {
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setErrorClass(errorClass)
        .setErrorMessage(errorMessage)
        .setTimeMicros(nowMicros)
        .build();
  }
}
