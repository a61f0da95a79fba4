package io.streamsight.console.search;

/**
 * One search, checked by the API before it reaches a backend.
 *
 * @param text what to look for, plain language (1 to {@link #MAX_TEXT_CHARS} characters)
 * @param cameraId only this camera, or null for all
 * @param fromMicros only windows starting at or after this time (µs since the epoch), or null (the
 *     archive filters on window starts, as {@code streamsight search --since} does)
 * @param toMicros only windows starting before this time, or null
 * @param limit at most this many hits (1 to {@link #MAX_LIMIT})
 */
public record SearchRequest(
    String text, String cameraId, Long fromMicros, Long toMicros, int limit) {
  public static final int MAX_TEXT_CHARS = 500;
  public static final int MAX_LIMIT = 200;
}
