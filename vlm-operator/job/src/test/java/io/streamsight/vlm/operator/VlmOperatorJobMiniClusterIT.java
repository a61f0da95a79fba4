package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.CollectingSink;
import io.streamsight.vlm.operator.io.KeyframeDeserializer;
import io.streamsight.vlm.operator.io.OperatorIo;
import io.streamsight.vlm.operator.io.QueryDeserializer;
import io.streamsight.vlm.operator.io.ReplayedTopicSource;
import io.streamsight.vlm.operator.io.RuleDeserializer;
import io.streamsight.vlm.operator.io.TopicNames;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.RuleChange;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@link VlmOperatorJob} on a MiniCluster with finite in-memory sources and collecting
 * sinks (no broker), in the style of flink-training's {@code LongRidesIntegrationTest}: run the job
 * to its end, then check what each sink collected. The sources replay encoded records through the
 * job's own deserializers, so bad bytes are dead-lettered as they would be from Kafka; the model is
 * the engine's fixture, which names each image's dominant colour and answers "Is the scene blue?"
 * by the pixels.
 *
 * <p>Camera 1 shows red for 4 s, then blue for 4 s; camera 2 shows yellow throughout. Windows are 2
 * s, so each camera has four windows of four keyframes.
 */
class VlmOperatorJobMiniClusterIT {
  private static final int PARALLELISM = 2;

  /** How long one scripted wait may take (the first summary includes loading the model). */
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static final TopicNames TOPICS = TopicNames.standard();
  private static final long T0 = ColourKeyframes.T0_MICROS;
  private static final String RED_THEN_BLUE = "cam-1";
  private static final String YELLOW = "cam-2";

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARALLELISM)
              // A failed job (for instance a scripted wait timing out) must fail the test, not
              // restart forever (the default once checkpointing is on).
              .setConfiguration(noRestarts())
              .build());

  @TempDir Path tmp;

  private final CollectingSink<Summary> summaries = CollectingSink.create("summaries");
  private final CollectingSink<Alert> alerts = CollectingSink.create("alerts");
  private final CollectingSink<Answer> answers = CollectingSink.create("answers");
  private final CollectingSink<DeadLetter> deadLetters = CollectingSink.create("dead-letters");
  private final CollectingSink<Digest> digests = CollectingSink.create("digests");

  private static Configuration noRestarts() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return conf;
  }

  @AfterEach
  void discardSinks() {
    List.of(summaries, alerts, answers, deadLetters).forEach(CollectingSink::discard);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void summarisesEachCameraAlertsOnceAnswersAndDeadLettersBadRecords() throws Exception {
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    OperatorIo io =
        new OperatorIo(
            keyframes(),
            rules(),
            queries(),
            summaries,
            alerts,
            answers,
            deadLetters,
            digests,
            FrameFetcher.none()); // bounded in-memory sources: the deserializer fills the cache
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(PARALLELISM);
    new VlmOperatorJob(VlmOperatorIT.config(), model, io).build(env);

    env.execute("vlm-operator-minicluster-it"); // returns when every source has ended and drained

    assertEachWindowNamesItsColour();
    assertDigestsTimelineEachCamera();
    assertAlertedOnceOnTheFirstBlueWindow();
    assertQuestionsAnswered();
    assertBadRecordsDeadLettered();
  }

  /**
   * Both cameras, interleaved in capture-time order, with an undecodable record among them. The
   * blue frames wait until the rule is in place (see {@link #rules}).
   */
  private ReplayedTopicSource<KeyframeIn> keyframes() {
    var k = ReplayedTopicSource.of(TOPICS.keyframes(), new KeyframeDeserializer());
    for (long t = 0; t < 8000; t += 500) {
      if (t == 4000) {
        CollectingSink<DeadLetter> dead = deadLetters;
        k.waitUntil(
            "the invalid rule dead-lettered (so the valid rule before it reached the job)",
            () -> dead.collected().stream().anyMatch(d -> d.getTopic().equals(TOPICS.rules())));
      }
      k.record(
          RED_THEN_BLUE, encode(keyframe(RED_THEN_BLUE, t, t < 4000 ? Color.RED : Color.BLUE)));
      k.record(YELLOW, encode(keyframe(YELLOW, t, Color.YELLOW)));
      if (t == 1000) {
        k.record(RED_THEN_BLUE, new byte[] {1, 2, 3});
      }
    }
    // As the sampler does after the last keyframe of a static or ended stream: progress records
    // move each camera's time past the last window's end (+ out-of-orderness), closing it.
    for (String camera : List.of(RED_THEN_BLUE, YELLOW)) {
      k.record(camera, encode(Progress.of(camera, "s1", -1, T0 + 10_000_000, -1, -1)));
    }
    return k.build(WAIT);
  }

  /**
   * A rule matching both cameras, then an invalid one. Sources have no order among each other, so
   * the keyframes wait for the invalid rule's dead letter: the rules source emitted the valid rule
   * first, so by then it is on its way to the router, well ahead of any blue window.
   */
  private ReplayedTopicSource<RuleChange> rules() {
    AlertRule blue =
        AlertRule.newBuilder()
            .setId("blue")
            .setCameraGlob("cam-*")
            .setQuestion("Is the scene blue?")
            .setThreshold(0.5)
            .setCooldownMicros(Duration.ofMinutes(1).toNanos() / 1000)
            .setSeverity(Severity.HIGH)
            .build();
    return ReplayedTopicSource.of(TOPICS.rules(), new RuleDeserializer())
        .record("blue", encode(blue))
        .record("broken", new byte[] {1, 2, 3})
        .build(WAIT);
  }

  /** Questions wait until camera 1 has a blue window, which then is its latest. */
  private ReplayedTopicSource<QueryIn> queries() {
    CollectingSink<Summary> done = summaries;
    return ReplayedTopicSource.of(TOPICS.queries(), new QueryDeserializer())
        .waitUntil(
            "a summary of camera 1's first blue window",
            () ->
                done.collected().stream()
                    .anyMatch(
                        s ->
                            s.getCameraId().equals(RED_THEN_BLUE)
                                && s.getWindowStartMicros() - T0 >= 4_000_000))
        .record("q-colour", encode(query("q-colour", RED_THEN_BLUE)))
        .record("q-unknown", encode(query("q-unknown", "cam-9")))
        .build(WAIT);
  }

  private void assertEachWindowNamesItsColour() {
    Map<String, List<Summary>> byCamera =
        summaries.collected().stream()
            .sorted(Comparator.comparingLong(Summary::getWindowStartMicros))
            .collect(Collectors.groupingBy(Summary::getCameraId));
    assertEquals(
        List.of(RED_THEN_BLUE, YELLOW), byCamera.keySet().stream().sorted().toList(), "cameras");
    for (var e : byCamera.entrySet()) {
      List<Summary> windows = e.getValue();
      assertEquals(
          List.of(0L, 2000L, 4000L, 6000L),
          windows.stream().map(s -> (s.getWindowStartMicros() - T0) / 1000).toList(),
          e.getKey() + ": one summary per 2 s window, no duplicates");
      for (Summary s : windows) {
        long start = (s.getWindowStartMicros() - T0) / 1000;
        String colour = e.getKey().equals(YELLOW) ? "yellow" : start < 4000 ? "red" : "blue";
        String where = e.getKey() + " at " + start + " ms: " + s.getText();
        assertTrue(s.getText().contains(colour), where);
        for (String other : List.of("red", "blue", "yellow")) {
          assertFalse(!other.equals(colour) && s.getText().contains(other), where);
        }
        assertEquals(4, s.getKeyframes().size(), "K = 4 of the window's 4 frames, " + where);
      }
    }
  }

  /**
   * The end of the bounded input closes the digests (5-minute periods, MiniLM): per camera, its
   * windows as one timeline, the alert counted.
   */
  private void assertDigestsTimelineEachCamera() {
    Map<String, List<Digest>> byCamera =
        digests.collected().stream().collect(Collectors.groupingBy(Digest::getCameraId));
    assertEquals(List.of(RED_THEN_BLUE, YELLOW), byCamera.keySet().stream().sorted().toList());
    for (var e : byCamera.entrySet()) {
      List<Digest> ds = e.getValue();
      assertEquals(4, ds.stream().mapToInt(Digest::getWindows).sum(), e.getKey() + ": " + ds);
      List<String> texts =
          ds.stream()
              .flatMap(d -> d.getEvents().stream())
              .map(x -> x.getText().split(" ")[0])
              .distinct()
              .toList();
      assertEquals(
          e.getKey().equals(YELLOW) ? List.of("yellow") : List.of("red", "blue"),
          texts,
          e.getKey() + ": " + ds);
      assertEquals(
          e.getKey().equals(YELLOW) ? 0 : 1,
          ds.stream().mapToInt(Digest::getAlerts).sum(),
          e.getKey() + ": " + ds);
    }
  }

  /**
   * One event: STARTED on the first blue keyframe (early firing), UPDATED with the summary of its
   * window, ENDED when the camera's frames stopped (the sampler's extrapolated progress), all with
   * one deterministic id.
   */
  private void assertAlertedOnceOnTheFirstBlueWindow() {
    List<Alert> all = alerts.collected();
    assertEquals(
        List.of(AlertPhase.STARTED, AlertPhase.UPDATED, AlertPhase.ENDED),
        all.stream().map(Alert::getPhase).toList(),
        "one event: " + all);
    assertEquals(1, all.stream().map(Alert::getAlertId).distinct().count(), "one id: " + all);
    Alert a = all.get(0);
    assertEquals("blue", a.getRuleId());
    assertEquals(RED_THEN_BLUE, a.getCameraId());
    assertEquals(4000, (a.getWindowStartMicros() - T0) / 1000, "the first blue window");
    assertTrue(a.getPYes() >= 0.5, "p(yes) " + a.getPYes());
    // Early firing: scored on the window so far when the first blue keyframe arrived.
    assertEquals(1, a.getEvidence().size());
    assertEquals(T0 + 4_000_000, a.getEvidence().get(0).getCaptureTimeMicros());
    assertEquals(T0 + 4_000_000, a.getEventStartMicros());
    assertEquals(
        OutcomeEmitter.alertId(
            "blue", RED_THEN_BLUE, a.getWindowStartMicros(), a.getWindowEndMicros()),
        a.getAlertId(),
        "deterministic id");
    Alert updated = all.get(1);
    assertTrue(updated.getSummaryText().contains("blue"), updated.getSummaryText());
    assertTrue(updated.getEvidence().size() > 1, "the window's keyframes joined the evidence");
    Alert ended = all.get(2);
    assertEquals("CAMERA_ENDED", ended.getEndReason());
    assertEquals(T0 + 7_500_000, ended.getEventEndMicros(), "the camera's last frame");
    assertTrue(ended.getPeakPYes() >= a.getPYes());
  }

  private void assertQuestionsAnswered() {
    Map<String, Answer> byId =
        answers.collected().stream().collect(Collectors.toMap(Answer::getQueryId, x -> x));
    assertEquals(2, byId.size(), "one answer per question: " + byId);
    Answer colour = byId.get("q-colour");
    assertEquals(AnswerStatus.ANSWERED, colour.getStatus());
    assertTrue(colour.getText().contains("blue"), colour.getText());
    assertTrue(colour.getWindowStartMicros() - T0 >= 4_000_000, "answered from a blue window");
    assertEquals(AnswerStatus.UNKNOWN_CAMERA, byId.get("q-unknown").getStatus());
  }

  private void assertBadRecordsDeadLettered() {
    Map<String, DeadLetter> byTopic =
        deadLetters.collected().stream().collect(Collectors.toMap(DeadLetter::getTopic, d -> d));
    assertEquals(
        List.of(TOPICS.keyframes(), TOPICS.rules()),
        byTopic.keySet().stream().sorted().toList(),
        "exactly the two bad records: " + byTopic.values());
    // Offsets count the replayed records: the bad keyframe follows both cameras' frames at 0-1 s.
    DeadLetter keyframe = byTopic.get(TOPICS.keyframes());
    assertEquals(6, keyframe.getOffset());
    assertEquals(1, byTopic.get(TOPICS.rules()).getOffset());
    for (DeadLetter d : byTopic.values()) {
      assertEquals("vlm-operator", d.getStage());
      assertFalse(d.getErrorMessage().isBlank(), "a reason: " + d);
    }
  }

  private static Query query(String id, String camera) {
    return Query.newBuilder()
        .setQueryId(id)
        .setCameraId(camera)
        .setQuestion("What colour is the scene?")
        .setCreatedMicros(T0)
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.apache.avro.specific.SpecificRecord> byte[] encode(T record) {
    return AvroCodec.of((Class<T>) record.getClass()).encode(record);
  }
}
