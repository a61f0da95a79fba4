package io.streamsight.vlm.operator.types;

/**
 * The model's answer to an {@link InferenceTask}.
 *
 * @param text the summary or answer text (empty when shed or failed)
 * @param finish how the task ended ({@link TaskFinish#SHED} when inference lagged event time too
 *     much)
 * @param pYes p(yes) per rule of the task, same order; NaN where that score failed (unknown, not
 *     "no")
 * @param error why inference failed, or null
 * @param modelId the model that answered
 */
public record InferenceOutcome(
    InferenceTask task,
    String modelId,
    String text,
    TaskFinish finish,
    double[] pYes,
    CallTimings timings,
    String error,
    long completedMicros) {

  /** True when the task was dropped because inference lagged event time too much. */
  public boolean shed() {
    return finish == TaskFinish.SHED;
  }
}
