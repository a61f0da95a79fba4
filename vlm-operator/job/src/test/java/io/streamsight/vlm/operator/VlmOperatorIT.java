package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WatermarkConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WindowConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator on a MiniCluster against the real broker and the engine's fixture model (which names
 * the dominant colour of each image and answers "Is the scene blue?" by the pixels). One camera
 * shows red for 6 s, then blue; windows are 2 s so the run stays short.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class VlmOperatorIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String CAMERA = "cam-1";
  @TempDir static Path tmp;
  private static ModelProvider model;

  /** Output of the uninterrupted run, for the exactly-once comparison. */
  private static List<String> baseline;

  @BeforeAll
  static void writeFixtureModel() {
    model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
  }

  public static OperatorConfig config() {
    OperatorConfig d = OperatorConfig.defaults();
    InferenceConfig i = d.inference();
    return d.withWindow(new WindowConfig(Duration.ofSeconds(2), null, 4))
        // Idleness well beyond the pauses between phases: windows close on keyframes only, so
        // both runs close the same windows with the same frames (wall time plays no part).
        .withWatermarks(new WatermarkConfig(Duration.ofMillis(500), Duration.ofMinutes(1)))
        .withCheckpointInterval(Duration.ofMillis(500))
        .withInference(
            new InferenceConfig(
                i.maxBatch(),
                i.maxWait(),
                i.queueCapacity(),
                i.asyncCapacity(),
                i.timeout(),
                i.retries(),
                i.retryDelay(),
                // Shedding has its own harness test; here every window must be summarised.
                Duration.ofHours(1),
                i.sheddingClock()));
  }

  private static JobClient start(KafkaBroker broker, OperatorScenario s, ModelProvider m)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    String id = "it" + s.topics.keyframes().substring(s.topics.keyframes().lastIndexOf('.'));
    var io =
        KafkaOperatorIo.create(
            broker.bootstrapServers(), id, config().checkpointInterval(), s.topics);
    return new VlmOperatorJob(config(), m, io).start(env, "vlm-operator-" + id);
  }

  /** Red 0-6 s then blue, with a rule change and questions; returns the comparable output. */
  private static List<String> runScenario(KafkaBroker broker, String suffix, ModelProvider m)
      throws Exception {
    try (OperatorScenario s = new OperatorScenario(broker, suffix)) {
      s.rule("blue", "Is the scene blue?", Duration.ofSeconds(60));
      JobClient job = start(broker, s, m);
      try {
        // Phase 1: red 0..5.5 s and the first blue frame; windows [0,2) and [2,4) close.
        for (long t = 0; t < 6000; t += 500) {
          s.keyframe(keyframe(CAMERA, t, Color.RED));
        }
        s.keyframe(keyframe(CAMERA, 6000, Color.BLUE));
        Await.until("the red summaries", WAIT, s::summaries, l -> l.size() >= 2);

        // Phase 2: blue until 15.5 s; windows up to [12,14) close.
        for (long t = 6500; t < 16_000; t += 500) {
          s.keyframe(keyframe(CAMERA, t, Color.BLUE));
        }
        Await.until("summaries up to 14 s", WAIT, s::summaries, l -> l.size() >= 7);
        s.query("q-colour", CAMERA, "What colour is the scene?");
        s.query("q-unknown", "cam-9", "What colour is the scene?");
        Await.until("two answers", WAIT, s::answers, l -> l.size() >= 2);

        // Phase 3: delete the rule, then (same key, so after it) an invalid rule to dead-letter.
        s.deleteRule("blue");
        s.rawRule("blue", new byte[] {1, 2, 3});
        Await.until("the invalid rule dead-lettered", WAIT, s::deadLetters, l -> l.size() >= 1);
        // Blue again long after the cooldown: with the rule gone, no alert.
        for (long t = 80_000; t < 85_500; t += 500) {
          s.keyframe(keyframe(CAMERA, t, Color.BLUE));
        }
        Await.until(
            "summaries after the rule was deleted", WAIT, s::summaries, l -> l.size() >= 10);
      } finally {
        job.cancel().get();
      }
      return checkAndDescribe(s);
    }
  }

  private static List<String> checkAndDescribe(OperatorScenario s) {
    List<Summary> summaries =
        s.summaries().stream()
            .sorted(Comparator.comparingLong(Summary::getWindowStartMicros))
            .toList();
    // Alerts are at-least-once (written at once): a restart may repeat one, with the same id.
    List<Alert> alerts = distinctByAlertId(s.alerts());
    List<Answer> answers = s.answers();

    long t0 = ColourKeyframes.T0_MICROS;
    assertEquals(10, summaries.size(), "one summary per closed window, no duplicates");
    for (Summary sum : summaries) {
      long start = (sum.getWindowStartMicros() - t0) / 1000;
      String expected = start < 6000 ? "red" : "blue";
      String other = start < 6000 ? "blue" : "red";
      assertTrue(sum.getText().contains(expected), start + " ms: " + sum.getText());
      assertTrue(!sum.getText().contains(other), start + " ms: " + sum.getText());
      assertEquals(4, sum.getKeyframes().size(), "K = 4 of the window's 4 frames");
    }
    assertEquals(1, alerts.size(), "exactly one alert id: " + alerts);
    Alert a = alerts.get(0);
    assertEquals("blue", a.getRuleId());
    assertEquals(6000, (a.getWindowStartMicros() - t0) / 1000, "fires on the first blue window");
    assertTrue(a.getPYes() >= 0.5);
    // Early firing: scored as the first blue keyframe arrived, on the window so far (that frame).
    assertEquals(1, a.getEvidence().size());
    assertEquals(t0 + 6_000_000, a.getEvidence().get(0).getCaptureTimeMicros());
    // The event's records, each once by (id, phase): started, updated with the blue window's
    // summary, ended when the rule was deleted.
    List<Alert> records = distinctByIdAndPhase(s.alerts());
    assertEquals(
        List.of(AlertPhase.STARTED, AlertPhase.UPDATED, AlertPhase.ENDED),
        records.stream().map(Alert::getPhase).toList(),
        records.toString());
    assertTrue(records.get(1).getSummaryText().contains("blue"), records.get(1).toString());
    assertEquals("RULE_REMOVED", records.get(2).getEndReason());

    Answer colour =
        answers.stream().filter(x -> x.getQueryId().equals("q-colour")).findFirst().get();
    // Asked now, about frames captured a minute or more ago, and no newer frame comes: OFFLINE,
    // answered from the camera's newest frames and saying how old they are.
    assertEquals(AnswerStatus.OFFLINE, colour.getStatus(), colour.toString());
    assertTrue(colour.getText().contains("blue"), colour.getText());
    assertTrue(colour.getFrameAgeMicros() > 0, colour.toString());
    assertTrue(colour.getText().contains("before the question"), colour.getText());
    Answer unknown =
        answers.stream().filter(x -> x.getQueryId().equals("q-unknown")).findFirst().get();
    assertEquals(AnswerStatus.UNKNOWN_CAMERA, unknown.getStatus());
    assertTrue(s.deadLetters().get(0).getErrorMessage().length() > 0);

    List<String> out = new java.util.ArrayList<>();
    summaries.forEach(
        x ->
            out.add(
                "summary "
                    + x.getWindowStartMicros()
                    + "-"
                    + x.getWindowEndMicros()
                    + " "
                    + x.getText()
                    + " "
                    + x.getKeyframes().stream()
                        .map(
                            k ->
                                k.getPartition()
                                    + "/"
                                    + k.getOffset()
                                    + "@"
                                    + k.getCaptureTimeMicros())
                        .toList()));
    records.forEach(
        x ->
            out.add(
                "alert "
                    + x.getAlertId()
                    + " "
                    + x.getPhase()
                    + " "
                    + x.getWindowStartMicros()
                    + " "
                    + x.getPYes()
                    + " "
                    + x.getEndReason()));
    return out;
  }

  /** The first record of each (alert id, phase), in topic order. */
  static List<Alert> distinctByIdAndPhase(List<Alert> alerts) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    return alerts.stream().filter(a -> seen.add(a.getAlertId() + "/" + a.getPhase())).toList();
  }

  /** The first record of each alert id, in topic order. */
  static List<Alert> distinctByAlertId(List<Alert> alerts) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    return alerts.stream().filter(a -> seen.add(a.getAlertId())).toList();
  }

  @Test
  @Order(1)
  void summarisesColoursInOrderAlertsOnceAnswersAndStopsAlertingWhenTheRuleIsDeleted(
      KafkaBroker broker) throws Exception {
    baseline = runScenario(broker, ".plain", model);
  }

  @Test
  @Order(2)
  void producesTheSameCommittedOutputWhenATaskFailsMidStream(KafkaBroker broker) throws Exception {
    if (baseline == null) {
      baseline = runScenario(broker, ".baseline", model);
    }
    FailingOnceModelProvider.FAILED.set(false);
    FailingOnceModelProvider.RUNS.set(0);
    List<String> withFailure =
        runScenario(broker, ".failing", new FailingOnceModelProvider(model, 4));
    assertTrue(FailingOnceModelProvider.FAILED.get(), "the failure was injected");
    assertEquals(baseline, withFailure);
  }
}
