package io.streamsight.sampler;

import io.streamsight.schemas.config.Checks;
import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import io.streamsight.schemas.config.Durations;
import java.time.Duration;

/**
 * The {@code questions} keys of {@code sampler.yaml}: whether a live question on {@code
 * vlm.queries} makes its camera's next fresh frame a {@code QUERY} keyframe ({@link QuestionWatch},
 * {@link PendingQuestions}). Bound as is; the constructor checks the values and names the key.
 *
 * @param enabled read {@code vlm.queries} at all
 * @param pendingFor how long a question waits for a fresh frame of its camera
 * @param maxFrameAge how much older than the question a frame may be and still answer it
 * @param maxCameras bound on the cameras with a question pending at once
 */
public record QuestionSettings(
    @ConfigDoc(
            value =
                "Read live questions from vlm.queries: the first frame of the asked camera captured"
                    + " at most questions.maxFrameAge before the question becomes a keyframe with"
                    + " reason QUERY, even on a static scene and within minGap.",
            defaultValue = "true")
        boolean enabled,
    @ConfigDoc(
            value =
                "How long a question waits for such a frame (from the earlier of its creation and"
                    + " its arrival, and never past its deadline); then the sampler forgets it"
                    + " (the operator answers from the frames it has).",
            defaultValue = "10s")
        Duration pendingFor,
    @ConfigDoc(
            value =
                "How much older than the question (its createdMicros) a frame may be and still"
                    + " answer it; older frames (a backlog) leave the question pending. Keep it"
                    + " equal to the freshness the operator asks of an answer's frame.",
            defaultValue = "1s")
        Duration maxFrameAge,
    @ConfigDoc(
            value =
                "At most this many cameras with a question pending at once (memory bound, every"
                    + " sampler instance holds all of them); a question beyond it is not turned"
                    + " into a keyframe, with a warning.",
            defaultValue = "10000")
        int maxCameras) {

  public static final QuestionSettings DEFAULTS =
      new QuestionSettings(true, Duration.ofSeconds(10), Duration.ofSeconds(1), 10_000);

  /** Questions off: the sampler does not read {@code vlm.queries}. */
  public static final QuestionSettings OFF =
      new QuestionSettings(false, DEFAULTS.pendingFor, DEFAULTS.maxFrameAge, DEFAULTS.maxCameras);

  public QuestionSettings {
    Checks.positive("pendingFor", pendingFor);
    if (maxFrameAge == null || maxFrameAge.isNegative()) {
      throw ConfigException.invalid(
          "maxFrameAge", maxFrameAge, "a duration >= 0 (" + Durations.FORMAT + ")");
    }
    Checks.atLeast("maxCameras", maxCameras, 1);
  }

  long pendingForMicros() {
    return pendingFor.toNanos() / 1000;
  }

  long maxFrameAgeMicros() {
    return maxFrameAge.toNanos() / 1000;
  }
}
