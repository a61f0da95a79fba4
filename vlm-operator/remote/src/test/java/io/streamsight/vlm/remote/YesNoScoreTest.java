package io.streamsight.vlm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.vlm.api.ScoreMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class YesNoScoreTest {
  private static YesNoScore.Candidate c(String token, double logprob) {
    return new YesNoScore.Candidate(token, logprob);
  }

  @Test
  void everySpellingOfYesAndNoCountsTowardsItsWord() {
    YesNoScore s =
        YesNoScore.fromLogprobs(
            List.of(
                c("Yes", Math.log(0.30)),
                c(" yes", Math.log(0.10)),
                c("YES", Math.log(0.05)),
                c("\u2581Yes", Math.log(0.05)), // SentencePiece word start
                c("\u0120yes", Math.log(0.02)), // byte-level BPE space
                c("No", Math.log(0.20)),
                c(" no", Math.log(0.04)),
                c("No.", Math.log(0.04)),
                c("The", Math.log(0.15)),
                c("Not", Math.log(0.05))));

    double yes = 0.30 + 0.10 + 0.05 + 0.05 + 0.02;
    double no = 0.20 + 0.04 + 0.04;
    assertEquals(yes / (yes + no), s.pYes(), 1e-9);
    assertEquals(ScoreMethod.LOGPROBS, s.method());
    assertNull(s.error());
  }

  @Test
  void theScoreIsNormalisedAgainstNoNotAgainstAllTokens() {
    // Only 2% of the mass on the two words, split 3:1: p(yes) is 0.75, not 0.015.
    YesNoScore s =
        YesNoScore.fromLogprobs(
            List.of(
                c("Well", Math.log(0.98)), c("Yes", Math.log(0.015)), c("No", Math.log(0.005))));
    assertEquals(0.75, s.pYes(), 1e-9);
  }

  @Test
  void onlyYesAmongTheCandidatesIsCertainYes() {
    assertEquals(1.0, YesNoScore.fromLogprobs(List.of(c("Yes", -0.01), c("Y", -5))).pYes());
  }

  @Test
  void neitherWordAmongTheCandidatesIsAFailedScoreNotANo() {
    YesNoScore s = YesNoScore.fromLogprobs(List.of(c("The", -0.1), c("I", -2.5)));
    assertTrue(Double.isNaN(s.pYes()));
    assertNull(s.method());
    assertTrue(s.error().contains("neither yes nor no"), s.error());
    assertTrue(s.error().contains("'The'"), s.error());
  }

  @Test
  void nonFiniteLogprobsAreIgnored() {
    YesNoScore s =
        YesNoScore.fromLogprobs(
            List.of(c("Yes", Double.NaN), c("No", Double.NEGATIVE_INFINITY), c("yes", -1)));
    assertEquals(1.0, s.pYes());
  }

  @Test
  void wordsThatOnlyStartLikeYesOrNoDoNotCount() {
    YesNoScore s =
        YesNoScore.fromLogprobs(
            List.of(c("Yesterday", -0.1), c("Nobody", -0.2), c("None", -0.3), c("No", -3)));
    assertEquals(0.0, s.pYes());
  }

  @Test
  void withoutLogprobsTheAnswersFirstWordDecides() {
    assertEquals(1.0, YesNoScore.fromText("Yes").pYes());
    assertEquals(1.0, YesNoScore.fromText(" yes, a person is at the door.").pYes());
    assertEquals(0.0, YesNoScore.fromText("No.").pYes());
    assertEquals(0.0, YesNoScore.fromText("NO").pYes());
    assertEquals(ScoreMethod.TEXT, YesNoScore.fromText("no").method());
  }

  @Test
  void withoutLogprobsAnyOtherAnswerIsAFailedScore() {
    for (String answer : new String[] {"", "Maybe", "I cannot tell", "Nope", "Y", null}) {
      YesNoScore s = YesNoScore.fromText(answer);
      assertTrue(Double.isNaN(s.pYes()), answer);
      assertNull(s.method(), answer);
      assertTrue(s.error().contains("no logprobs"), s.error());
    }
  }

  @Test
  void aLongAnswerIsClippedInTheReason() {
    YesNoScore s = YesNoScore.fromText("x".repeat(10_000));
    assertTrue(s.error().length() < 200, s.error());
  }
}
