package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.ColourKeyframes.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.AskConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live questions on a MiniCluster against the real broker, with the fixture model (which names the
 * dominant colour of each image). Keyframes are published directly, including the {@code QUERY}
 * keyframe the sampler sends when a question is pending, so this does not depend on the sampler.
 *
 * <p>Checkpoints are two minutes apart, far longer than the test waits: answers are read by a
 * read_committed reader, so they are only seen if they are written at once rather than committed
 * with a checkpoint (summaries are, and stay invisible here).
 */
@ExtendWith(KafkaBrokerExtension.class)
class LiveQuestionsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final long T0 = ColourKeyframes.T0_MICROS;
  private static final String SCENES = "cam-1";
  private static final String GONE = "cam-2";

  @TempDir static Path tmp;

  private static OperatorConfig config() {
    OperatorConfig c = VlmOperatorIT.config().withCheckpointInterval(Duration.ofMinutes(2));
    // A generous wait for the fresh frame: published right after the question, it must still win
    // the race with the timer on a loaded machine (the shipped default is 1 s).
    return c.withAsk(
        new AskConfig(c.ask().maxNewTokens(), Duration.ofSeconds(1), Duration.ofSeconds(5)));
  }

  private static Keyframe queryKeyframe(String camera, long offsetMillis, Color colour) {
    return Keyframe.newBuilder(keyframe(camera, offsetMillis, colour))
        .setReason(KeyframeReason.QUERY)
        .build();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void answersAboutNowWithAFrameFromAfterTheQuestionAndSaysWhenACameraIsOffline(KafkaBroker broker)
      throws Exception {
    try (OperatorScenario s = new OperatorScenario(broker, ".live")) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      var io =
          KafkaOperatorIo.create(
              broker.bootstrapServers(), "it-live", config().checkpointInterval(), s.topics);
      JobClient job =
          new VlmOperatorJob(config(), model(), io).start(env, "vlm-operator-live-questions");
      try {
        // Camera 1: red for 4 s, then yellow; camera 2: blue for 2 s, then nothing more.
        for (long t = 0; t <= 5000; t += 500) {
          s.keyframe(keyframe(SCENES, t, t < 4000 ? Color.RED : Color.YELLOW));
          if (t <= 2000) {
            s.keyframe(keyframe(GONE, t, Color.BLUE));
          }
        }
        // Asked during the yellow scene, 1.5 s after its last keyframe (a static scene: the
        // sampler sent nothing since); then the sampler's QUERY keyframe, 0.3 s after the question.
        long asked = T0 + 6_500_000;
        s.query("q-now", SCENES, "What colour is the scene?", asked);
        s.keyframe(queryKeyframe(SCENES, 6800, Color.YELLOW));
        // Camera 2 sent nothing for 28 s when it is asked about.
        s.query("q-gone", GONE, "What colour is the scene?", T0 + 30_000_000);

        Await.until("both answers", WAIT, s::answers, l -> ids(l).size() >= 2);
        Map<String, List<Answer>> byId =
            s.answers().stream().collect(Collectors.groupingBy(Answer::getQueryId));
        assertEquals(1, byId.get("q-now").size(), "answered once: " + byId.get("q-now"));
        assertEquals(1, byId.get("q-gone").size(), "answered once: " + byId.get("q-gone"));

        Answer now = byId.get("q-now").get(0);
        assertEquals(AnswerStatus.ANSWERED, now.getStatus(), now.toString());
        assertTrue(now.getText().contains("yellow"), now.getText());
        assertFalse(now.getText().contains("red"), now.getText());
        assertEquals(asked, now.getAskedMicros());
        assertEquals(-300_000L, now.getFrameAgeMicros(), "its newest frame: 0.3 s after");
        assertFalse(now.getKeyframes().isEmpty());
        for (KeyframeRef k : now.getKeyframes()) {
          assertTrue(k.getCaptureTimeMicros() > asked, "captured after the question: " + k);
        }

        Answer gone = byId.get("q-gone").get(0);
        assertEquals(AnswerStatus.OFFLINE, gone.getStatus(), gone.toString());
        assertEquals(28_000_000L, gone.getFrameAgeMicros(), "its newest frame, 2 s in");
        assertTrue(gone.getText().contains("28.0 s before the question"), gone.getText());
        assertTrue(gone.getText().contains("blue"), "still answered: " + gone.getText());
        assertEquals(T0 + 2_000_000, newest(gone));
      } finally {
        job.cancel().get();
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aQuestionAboutThePastIsAnsweredFromTheSummarisedTimelineInTextOnlyMode(KafkaBroker broker)
      throws Exception {
    // Waits up to 60 s for the summary of the moment asked about, so the answer covers it.
    OperatorConfig c =
        config().withAsk(new AskConfig(48, Duration.ofSeconds(1), Duration.ofSeconds(60)));
    try (OperatorScenario s = new OperatorScenario(broker, ".past")) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      var io =
          KafkaOperatorIo.create(
              broker.bootstrapServers(), "it-past", c.checkpointInterval(), s.topics);
      JobClient job = new VlmOperatorJob(c, model(), io).start(env, "vlm-operator-past-questions");
      try {
        // Red, then yellow, then green, 4 s each (2 s windows).
        for (long t = 0; t <= 12_500; t += 500) {
          s.keyframe(
              keyframe(SCENES, t, t < 4000 ? Color.RED : t < 8000 ? Color.YELLOW : Color.GREEN));
        }
        long asked = T0 + 12_200_000;
        s.queryThePast("q-past", SCENES, "What happened?", asked, 60_000_000L);
        // The minute before the first scene: summarised (so no wait), but nothing in it.
        s.queryThePast("q-nothing", SCENES, "What happened?", T0 - 1_000_000, 60_000_000L);

        Await.until("both answers", WAIT, s::answers, l -> ids(l).size() >= 2);
        Map<String, List<Answer>> byId =
            s.answers().stream().collect(Collectors.groupingBy(Answer::getQueryId));
        Answer past = byId.get("q-past").get(0);
        assertEquals(AnswerStatus.ANSWERED, past.getStatus(), past.toString());
        String text = past.getText();
        // The fixture answers a text-only prompt with "No"; the timeline it was given follows.
        assertTrue(text.startsWith("No\nTimeline: "), text);
        int red = text.indexOf("red");
        int yellow = text.indexOf("yellow");
        int green = text.indexOf("green");
        assertTrue(red >= 0 && red < yellow && yellow < green, "scenes in order: " + text);
        assertEquals(3, past.getKeyframes().size(), "one keyframe per event: " + past);
        assertEquals(T0, past.getWindowStartMicros());
        assertTrue(past.getWindowEndMicros() >= T0 + 12_000_000, "covers up to the question");
        assertEquals(asked, past.getAskedMicros());

        Answer nothing = byId.get("q-nothing").get(0);
        assertEquals(AnswerStatus.ANSWERED, nothing.getStatus(), nothing.toString());
        assertEquals(
            "Nothing was recorded for camera 'cam-1' in the last 1 min.", nothing.getText());
      } finally {
        job.cancel().get();
      }
    }
  }

  private static EngineModelProvider model() {
    return new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
  }

  private static java.util.Set<String> ids(List<Answer> answers) {
    return answers.stream().map(Answer::getQueryId).collect(Collectors.toSet());
  }

  private static long newest(Answer a) {
    return a.getKeyframes().stream().mapToLong(KeyframeRef::getCaptureTimeMicros).max().orElse(0);
  }
}
