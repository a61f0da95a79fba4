package io.streamsight.vlm.api;

/**
 * Where the time of one request went (milliseconds) and its image cost. In a batch, session times
 * are those of the whole batch run.
 */
public record Timings(
    double preprocessMillis,
    double visionMillis,
    double prefillMillis,
    double decodeMillis,
    double totalMillis,
    double sessionRunMillis,
    int imageTokensPerFrame,
    int batchSize) {}
