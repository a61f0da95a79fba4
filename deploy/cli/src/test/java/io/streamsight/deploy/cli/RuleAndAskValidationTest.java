package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code rules add} and {@code ask} refuse what the operator would dead-letter, before talking to
 * Kafka: exit 2, naming the option. The bootstrap points at a closed port, so reaching Kafka would
 * show as a hang or exit 1, not exit 2.
 */
@Timeout(30)
class RuleAndAskValidationTest {
  private static final String NOWHERE = "127.0.0.1:1";

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(StreamsightCli.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  /** A good rule with one option replaced (or added). */
  private static Run addRule(String option, String value) {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("--bootstrap", NOWHERE);
    opts.put("--id", "fence");
    opts.put("--camera", "cam-*");
    opts.put("--question", "Is someone climbing the fence?");
    opts.put(option, value);
    List<String> args = new ArrayList<>(List.of("rules", "add"));
    opts.forEach((k, v) -> args.addAll(List.of(k, v)));
    return run(args.toArray(String[]::new));
  }

  private static void refused(Run r, String option, String text) {
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(option + ": ") && r.err().contains(text), r.err());
  }

  @Test
  void rulesAddRefusesEachBadFieldWithExitTwoNamingTheOption() {
    refused(addRule("--question", " "), "--question", "empty");
    refused(addRule("--question", "x".repeat(501)), "--question", "at most 500");
    refused(addRule("--threshold", "1"), "--threshold", "strictly between 0 and 1");
    refused(addRule("--threshold", "0"), "--threshold", "strictly between 0 and 1");
    refused(addRule("--camera", "cam-[1-3]"), "--camera", "'['");
    refused(addRule("--camera", "cam 7"), "--camera", "U+0020");
    refused(addRule("--id", "my rule"), "--id", "rule id");
    refused(addRule("--cooldown", "25h"), "--cooldown", "longer than");
    refused(addRule("--severity", "apocalyptic"), "--severity", "is not one of");
    refused(addRule("--verify-with", "big model"), "--verify-with", "not a model name");
    refused(addRule("--hysteresis", "1.5"), "--hysteresis", "not in [0, 1)");
    refused(addRule("--max-duration", "0s"), "--max-duration", "more than 0");
    refused(addRule("--min-duration", "20m"), "--min-duration", "longer than maxDuration");
    refused(addRule("--clear-after", "25h"), "--clear-after", "clearAfter");
    refused(addRule("--schedule", "Mon-Fri 18:00-07:00 Mars/Base"), "--schedule", "time zone");
    refused(addRule("--schedule", "weekdays 18:00-07:00"), "--schedule", "unknown day");
  }

  @Test
  void askRefusesABadCameraOrQuestionWithExitTwo() {
    refused(run("ask", "--bootstrap", NOWHERE, "--camera", "cam/1", "What?"), "--camera", "'/'");
    refused(run("ask", "--bootstrap", NOWHERE, "--camera", "cam-1", ""), "QUESTION", "empty");
    refused(
        run("ask", "--bootstrap", NOWHERE, "--camera", "cam-1", "Hi\u001b[2J?"),
        "QUESTION",
        "control character");
  }

  @Test
  void askRefusesALookBackThatIsNotPositiveOrLongerThanADay() {
    refused(
        run("ask", "--bootstrap", NOWHERE, "--camera", "cam-1", "--last", "0s", "What?"),
        "--last",
        "more than 0");
    refused(
        run("ask", "--bootstrap", NOWHERE, "--camera", "cam-1", "--last", "25h", "What?"),
        "--last",
        "at most 24 h");
  }
}
