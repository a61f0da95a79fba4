package io.streamsight.vlm.timeline;

import java.util.Objects;

/**
 * The keyframe an event shows as evidence.
 *
 * @param captureMicros its event time (capture time; for a file, time from the file's start)
 * @param ref where it can be fetched, in the caller's terms (e.g. {@code
 *     cameras.keyframes/3/1234}); may be empty when there is no such place
 */
public record KeyframeMark(long captureMicros, String ref) {
  public KeyframeMark {
    ref = Objects.requireNonNullElse(ref, "");
  }
}
