package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.avro.AlertVerification;
import io.streamsight.vlm.api.ScoreMethod;
import java.io.Serializable;

/**
 * What became of one rule's score on a window so far, besides its p(yes): how the screening model
 * read it, and, for a rule with {@code verifyWith} whose score reached the threshold, the
 * verifier's judgement. The alert emitter alerts only on {@link Verdict#UNVERIFIED} (no verifier
 * asked) and {@link Verdict#CONFIRMED}.
 *
 * @param scoreMethod how the screening model's p(yes) was read, or null when unknown
 * @param verifierModelId the verifier's model id (null unless verified, rejected or shed there)
 * @param verifierPYes the verifier's p(yes) (NaN unless it answered)
 * @param reason the verifier's one sentence why ("" when none)
 * @param verifierScoreMethod how the verifier's p(yes) was read
 */
public record RuleCheck(
    ScoreMethod scoreMethod,
    Verdict verdict,
    String verifierModelId,
    double verifierPYes,
    String reason,
    ScoreMethod verifierScoreMethod)
    implements Serializable {

  /** How a verification cascade ended for one rule and window so far. */
  public enum Verdict {
    /** No verifier was asked: the rule has none, or its score stayed under the threshold. */
    UNVERIFIED,
    /** The verifier's p(yes) also reached the threshold: alert, with its judgement. */
    CONFIRMED,
    /** The verifier's p(yes) stayed under the threshold (or it failed): no alert, counted. */
    REJECTED,
    /** The verifier could not be asked (server down, budget spent): no alert, counted as shed. */
    SHED
  }

  public static RuleCheck unverified(ScoreMethod m) {
    return new RuleCheck(m, Verdict.UNVERIFIED, null, Double.NaN, "", null);
  }

  /** True when the emitter may alert on this score (it still needs the threshold and cooldown). */
  public boolean mayAlert() {
    return verdict == Verdict.UNVERIFIED || verdict == Verdict.CONFIRMED;
  }

  /** The screening score method as written to {@code Alert.scoreMethod}. */
  public io.streamsight.schemas.avro.ScoreMethod scoreMethodAvro() {
    return avro(scoreMethod);
  }

  /** {@code Alert.verification}: set for a confirmed alert only. */
  public AlertVerification verificationAvro() {
    if (verdict != Verdict.CONFIRMED) {
      return null;
    }
    return AlertVerification.newBuilder()
        .setModelId(verifierModelId)
        .setPYes(verifierPYes)
        .setReason(reason == null ? "" : reason)
        .setScoreMethod(avro(verifierScoreMethod))
        .build();
  }

  private static io.streamsight.schemas.avro.ScoreMethod avro(ScoreMethod m) {
    return m == null ? null : io.streamsight.schemas.avro.ScoreMethod.valueOf(m.name());
  }
}
