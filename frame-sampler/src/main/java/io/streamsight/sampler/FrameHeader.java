package io.streamsight.sampler;

/**
 * What the keyframe decision reads of a Frame: everything but the JPEG bytes, which the decoder
 * skips instead of copying.
 */
public record FrameHeader(
    String cameraId,
    String ingestSessionId,
    long sequence,
    long captureTimeMicros,
    long dhash,
    byte[] thumbnail,
    float[] histogram) {}
