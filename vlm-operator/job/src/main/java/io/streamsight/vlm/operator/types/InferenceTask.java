package io.streamsight.vlm.operator.types;

/**
 * Work for the model. A window task asks for one describe call when {@code instruction} is set (a
 * closed window: its summary) and one score call per rule in {@code rules} (a window so far: early
 * firing, the rules matching the camera when the keyframe arrived); a query task asks one question
 * over {@code window} (the camera's latest). When {@code window} is null for a query, the camera is
 * unknown and no model call is made.
 *
 * @param stale for a query: no frame fresh enough for the question came within {@code
 *     ask.freshFrameWait}, so {@code window} is the camera's freshest, older than the question (the
 *     answer is OFFLINE)
 */
public record InferenceTask(
    String cameraId,
    WindowFrames window,
    String instruction,
    Rule[] rules,
    QueryIn query,
    boolean stale) {

  public InferenceTask(
      String cameraId, WindowFrames window, String instruction, Rule[] rules, QueryIn query) {
    this(cameraId, window, instruction, rules, query, false);
  }

  /** A question over {@code window} (null: the camera has no frames). */
  public static InferenceTask question(QueryIn q, WindowFrames window, boolean stale) {
    return new InferenceTask(q.cameraId(), window, null, new Rule[0], q, stale);
  }

  /**
   * The camera's event time moved without a keyframe ({@link WindowFrames#tick}): no model call,
   * the inference function passes it straight on, in order with the camera's other tasks, so the
   * alert events see time in the same order as the scores.
   */
  public static InferenceTask tick(WindowFrames tick) {
    return new InferenceTask(tick.cameraId(), tick, null, new Rule[0], null);
  }

  public boolean isTick() {
    return query == null && window != null && window.isTick();
  }

  public boolean isQuery() {
    return query != null;
  }

  /** A closed window's summary (as opposed to early rule scores or a question). */
  public boolean isSummary() {
    return query == null && instruction != null;
  }

  /**
   * Event time the task is about, used to measure how far inference lags: a closed window's end, or
   * for a window so far the capture time of the keyframe that made it (its end is still ahead).
   */
  public long eventTimeMicros() {
    if (window == null) {
      return Long.MAX_VALUE;
    }
    return window.closed() ? window.windowEndMicros() : window.newestCaptureMicros();
  }
}
