package io.streamsight.vlm.operator.types;

/**
 * The model's answer to an {@link InferenceTask}.
 *
 * @param text the summary or answer text (empty when shed or failed)
 * @param finish how the task ended ({@link TaskFinish#SHED} when inference lagged event time too
 *     much, or no model named for the task could take it)
 * @param pYes p(yes) per rule of the task, same order; NaN where that score failed (unknown, not
 *     "no")
 * @param error why inference failed, or null
 * @param modelId the model that answered
 * @param checks per rule, same order as {@code pYes}: score method and verification cascade verdict
 *     ({@link RuleCheck}); empty when not known (then every score may alert)
 */
public record InferenceOutcome(
    InferenceTask task,
    String modelId,
    String text,
    TaskFinish finish,
    double[] pYes,
    CallTimings timings,
    String error,
    long completedMicros,
    RuleCheck[] checks) {

  public InferenceOutcome(
      InferenceTask task,
      String modelId,
      String text,
      TaskFinish finish,
      double[] pYes,
      CallTimings timings,
      String error,
      long completedMicros) {
    this(task, modelId, text, finish, pYes, timings, error, completedMicros, new RuleCheck[0]);
  }

  /** True when the task was dropped because inference lagged event time too much. */
  public boolean shed() {
    return finish == TaskFinish.SHED;
  }

  /** Rule {@code i}'s check ({@link RuleCheck#unverified} when none was recorded). */
  public RuleCheck check(int i) {
    return checks != null && i < checks.length && checks[i] != null
        ? checks[i]
        : RuleCheck.unverified(null);
  }

  /** A copy with the rules' checks. */
  public InferenceOutcome withChecks(RuleCheck[] c) {
    return new InferenceOutcome(
        task, modelId, text, finish, pYes, timings, error, completedMicros, c);
  }
}
