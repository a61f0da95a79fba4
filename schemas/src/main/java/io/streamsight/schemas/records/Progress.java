package io.streamsight.schemas.records;

import io.streamsight.schemas.avro.FrameFeatures;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Event-time progress on {@code cameras.keyframes}: a {@link Keyframe} with reason {@link
 * KeyframeReason#PROGRESS} and no image, saying "camera X's time reached T".
 *
 * <p>Why a keyframe without an image rather than a record of its own: the topic, its key, its order
 * per camera and every reader's decoder stay as they are, and the change is one enum symbol (old
 * readers map it to the default {@code UNKNOWN}), which the schema evolution rule allows. The cost
 * is a few empty required fields (about 60 bytes a record). Readers that want images must skip
 * these with {@link #is}.
 */
public final class Progress {
  private static final FrameFeatures NO_FEATURES =
      FrameFeatures.newBuilder()
          .setDhash(0)
          .setThumbnail(ByteBuffer.allocate(0))
          .setColorHistogram(List.of())
          .build();

  private Progress() {}

  /** True for a progress record (no image), false for a real keyframe. */
  public static boolean is(Keyframe k) {
    return k.getReason() == KeyframeReason.PROGRESS;
  }

  /**
   * A progress record.
   *
   * @param sequence the sequence of the frame that carried the time, or -1 when extrapolated
   * @param sourcePartition partition of that frame in {@code cameras.frames}, or -1
   * @param sourceOffset its offset, or -1
   */
  public static Keyframe of(
      String cameraId,
      String ingestSessionId,
      long sequence,
      long captureTimeMicros,
      int sourcePartition,
      long sourceOffset) {
    return Keyframe.newBuilder()
        .setCameraId(cameraId)
        .setIngestSessionId(ingestSessionId)
        .setSequence(sequence)
        .setCaptureTimeMicros(captureTimeMicros)
        .setPtsMicros(-1)
        .setWidth(0)
        .setHeight(0)
        .setJpeg(ByteBuffer.allocate(0))
        .setFeatures(FrameFeatures.newBuilder(NO_FEATURES).build())
        .setReason(KeyframeReason.PROGRESS)
        .setNoveltyScore(0f)
        .setSourcePartition(sourcePartition)
        .setSourceOffset(sourceOffset)
        .build();
  }
}
