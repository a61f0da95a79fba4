package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.KeyframeRef;

/**
 * A keyframe as the operator carries it between operators and in state: where it lives in {@code
 * cameras.keyframes} (topic, partition, offset), its event time, sequence and novelty, but not its
 * image. The JPEG stays in a bounded per-TaskManager cache filled when the source reads the record
 * and is resolved only inside inference ({@link io.streamsight.vlm.operator.images.FrameImages}),
 * read back from Kafka on a miss. Keeping images out of state is what makes short checkpoints
 * cheap: a window's state is a few dozen bytes per keyframe instead of tens of kilobytes.
 *
 * <p>A record of plain fields so Flink serialises it as a POJO, not with Kryo.
 *
 * @param progress a progress record from the sampler ({@link
 *     io.streamsight.schemas.records.Progress}): no image, it only moves its camera's event time
 */
public record FrameRef(
    String cameraId,
    long captureMicros,
    long sequence,
    String topic,
    int partition,
    long offset,
    float novelty,
    boolean progress) {

  /** Event-time progress, not a frame: never part of a window. */
  public boolean isProgress() {
    return progress;
  }

  /** {@code topic[partition]@offset}, how errors and logs name the record. */
  public String where() {
    return topic + "[" + partition + "]@" + offset;
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
