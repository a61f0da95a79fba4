package io.streamsight.vlm.operator.types;

/**
 * Work for the model. A window task asks for one describe call plus one score call per matching
 * rule ({@code rules}, a snapshot taken when the window closed); a query task asks one question
 * over {@code window} (the camera's latest). When {@code window} is null for a query, the camera is
 * unknown and no model call is made.
 */
public record InferenceTask(
    String cameraId, WindowFrames window, String instruction, Rule[] rules, QueryIn query) {

  public boolean isQuery() {
    return query != null;
  }

  /** Event time the task is about: the window end, used to measure how far inference lags. */
  public long eventTimeMicros() {
    return window == null ? Long.MAX_VALUE : window.windowEndMicros();
  }
}
