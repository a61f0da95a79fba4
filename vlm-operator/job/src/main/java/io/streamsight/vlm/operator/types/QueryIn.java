package io.streamsight.vlm.operator.types;

/**
 * A live question read from {@code vlm.queries}, or a rejection.
 *
 * @param deadlineMicros 0 = no deadline
 */
public record QueryIn(
    String queryId,
    String cameraId,
    String question,
    long createdMicros,
    long deadlineMicros,
    Rejected rejected) {}
