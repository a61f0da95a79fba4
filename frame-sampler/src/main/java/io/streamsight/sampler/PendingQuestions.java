package io.streamsight.sampler;

/**
 * Live questions waiting for a fresh frame of their camera, as {@link KeyframeProcessor} sees them:
 * one call per frame that could become a keyframe. Production: {@link QuestionWatch} (reads {@code
 * vlm.queries}); tests: a {@link QuestionBook} filled by hand with a test clock.
 *
 * <p>Implementations are called from every stream thread at once and must be thread-safe and cheap
 * when nothing is pending (the common case: one map lookup per frame).
 */
public interface PendingQuestions {
  /**
   * True, once, if a question about {@code cameraId} is pending and a frame captured at {@code
   * captureMicros} is fresh enough to answer it; the question is then no longer pending. A frame
   * too old for the question leaves it pending for a later frame.
   */
  boolean takeFor(String cameraId, long captureMicros);

  /** No questions: what a topology without a {@code vlm.queries} reader uses. */
  PendingQuestions NONE = (cameraId, captureMicros) -> false;
}
