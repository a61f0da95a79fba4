package io.streamsight.vlm.operator.types;

/**
 * A question read from {@code vlm.queries}, or a rejection.
 *
 * @param deadlineMicros 0 = no deadline
 * @param lookbackMicros 0 = a live question (about now); more: a question about the camera's past
 *     {@code lookbackMicros} before {@code createdMicros}, answered from its summarised timeline
 */
public record QueryIn(
    String queryId,
    String cameraId,
    String question,
    long createdMicros,
    long deadlineMicros,
    long lookbackMicros,
    Rejected rejected) {

  /** A live question (about now). */
  public QueryIn(
      String queryId,
      String cameraId,
      String question,
      long createdMicros,
      long deadlineMicros,
      Rejected rejected) {
    this(queryId, cameraId, question, createdMicros, deadlineMicros, 0, rejected);
  }

  /** Whether it asks about the past rather than now. */
  public boolean aboutThePast() {
    return lookbackMicros > 0;
  }
}
