package io.streamsight.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorScenario;
import io.streamsight.vlm.operator.VlmOperatorJob;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.io.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 end to end, with the shipped sampler and operator defaults (sampler with its question
 * watch, {@code ask.freshness} 1 s, 10 s windows, 2 s checkpoints) but one: {@code
 * ask.freshFrameWait} is 5 s instead of 1 s. That wait is a latency bound (the QUERY keyframe comes
 * 0.3-0.6 s after the question, see the benchmark), and a loaded CI machine must not turn a fresh
 * answer into OFFLINE: the test checks which frame answers, not how fast. A file played at its own
 * speed like a live camera (12 s red, then 25 s of static yellow) → ingest → sampler → operator
 * (MiniCluster, fixture model), and two questions.
 *
 * <p>Asked a few seconds into the static yellow scene, when the sampler has sent no keyframe for
 * seconds (nothing changes; the next max-gap keyframe is 30 s away), a question can only be
 * answered about now if it makes a fresh keyframe: the answer must be ANSWERED, say yellow, and
 * cite as its newest frame the sampler's QUERY keyframe, captured at most {@code ask.freshness}
 * before the question. Asked after the stream ended, a question gets OFFLINE and the age of the
 * newest frame there is. Behaviour only, no wall-clock bounds (the benchmark measures those).
 */
@ExtendWith(KafkaBrokerExtension.class)
class LiveQuestionsPipelineIT {
  private static final String CAMERA = "cam-ask";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final double FPS = 5;
  // Longer than a 10 s window: the window of a frame taken 3 s into yellow never holds red.
  private static final int RED_FRAMES = 60;
  private static final int YELLOW_FRAMES = 125;
  private static final long FRESHNESS =
      OperatorConfig.defaults().ask().freshness().toNanos() / 1000;
  private static final String QUESTION = "What colour is the scene?";

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void answersFromAFreshQueryKeyframeWhileTheCameraStreamsAndSaysOfflineAfterItEnded(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video =
        SyntheticVideo.builder(160, 120, FPS)
            .add(Segment.solid(255, 0, 0, RED_FRAMES))
            .add(Segment.solid(255, 255, 0, YELLOW_FRAMES))
            .build()
            .write(tmp.resolve("red-yellow.mp4"))
            .path();
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    OperatorConfig shipped = OperatorConfig.defaults();
    OperatorConfig config =
        shipped.withAsk(
            new OperatorConfig.AskConfig(
                shipped.ask().maxNewTokens(), shipped.ask().freshness(), Duration.ofSeconds(5)));

    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io =
          KafkaOperatorIo.create(broker.bootstrapServers(), "ask", config.checkpointInterval());
      JobClient job = new VlmOperatorJob(config, model, io).start(env, "ask");
      SamplerApp sampler = null;
      IngestService ingest = null;
      try (KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers())) {
        sampler =
            PipelineStages.startSampler(
                broker.bootstrapServers(),
                tmp.resolve("sampler"),
                SamplerConfig.standard().withApplicationId("ask-sampler"));
        ingest = PipelineStages.startIngest(publisher, CAMERA, video, FPS, true);

        // Capture times follow the wall clock from the first frame at the file's own pace.
        long first = PipelineStages.firstKeyframeCapture(s, CAMERA, WAIT);
        long yellowStart = first + micros(RED_FRAMES);
        long lastFrame = first + micros(RED_FRAMES + YELLOW_FRAMES - 1);
        Keyframe firstYellow =
            Await.until(
                    "the sampler's first yellow keyframe",
                    WAIT,
                    () -> images(s),
                    l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= yellowStart))
                .stream()
                .filter(k -> k.getCaptureTimeMicros() >= yellowStart)
                .findFirst()
                .orElseThrow();
        // A few seconds of static scene: the sampler's progress records say it has seen them.
        long quietUntil = firstYellow.getCaptureTimeMicros() + 3_000_000;
        Await.until(
            "the sampler 3 s into the yellow scene",
            WAIT,
            () -> progress(s),
            l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= quietUntil));
        assertEquals(
            List.of(firstYellow),
            images(s).stream()
                .filter(k -> k.getCaptureTimeMicros() >= firstYellow.getCaptureTimeMicros())
                .toList(),
            "a static scene: no keyframe since the first yellow one");

        long asked = nowMicros();
        s.query("q-now", CAMERA, QUESTION, asked);
        Answer now = answer(s, "q-now");
        assertEquals(AnswerStatus.ANSWERED, now.getStatus(), now.toString());
        assertTrue(now.getText().contains("yellow"), now.getText());
        assertFalse(now.getText().contains("red"), now.getText());
        assertEquals(asked, now.getAskedMicros());
        assertFalse(now.getKeyframes().isEmpty(), now.toString());
        for (KeyframeRef k : now.getKeyframes()) {
          assertTrue(k.getCaptureTimeMicros() >= yellowStart, "a yellow frame: " + k);
        }
        KeyframeRef newest = newest(now);
        assertEquals(asked - newest.getCaptureTimeMicros(), now.getFrameAgeMicros());
        assertTrue(
            newest.getCaptureTimeMicros() >= asked - FRESHNESS,
            "captured at most ask.freshness before the question: " + now);
        Keyframe cited = keyframeAt(broker, newest);
        assertEquals(
            KeyframeReason.QUERY, cited.getReason(), "the sampler's keyframe for the question");
        assertEquals(CAMERA, cited.getCameraId());
        assertEquals(newest.getCaptureTimeMicros(), cited.getCaptureTimeMicros());

        // After the stream ended, once the sampler has noticed (it extrapolates the camera's time
        // after idleAfter without frames), no frame can be fresh enough for a new question.
        ingest.await(System.out, 10_000);
        Await.until(
            "the sampler extrapolating the ended stream",
            WAIT,
            () -> progress(s),
            l -> l.stream().anyMatch(k -> k.getSequence() == -1));
        long askedLater = nowMicros();
        s.query("q-gone", CAMERA, QUESTION, askedLater);
        Answer gone = answer(s, "q-gone");
        assertEquals(AnswerStatus.OFFLINE, gone.getStatus(), gone.toString());
        long age = askedLater - newest(gone).getCaptureTimeMicros();
        assertEquals(age, gone.getFrameAgeMicros(), gone.toString());
        assertTrue(age >= askedLater - lastFrame, "no newer frame than the stream's last: " + gone);
        assertTrue(
            gone.getText()
                .contains(String.format(Locale.ROOT, "%.1f s before the question", age / 1e6)),
            "says how old its frame is: " + gone.getText());
        assertTrue(gone.getText().contains("yellow"), "still answered: " + gone.getText());
      } finally {
        if (ingest != null) {
          ingest.stop();
        }
        job.cancel().get();
        if (sampler != null) {
          sampler.close(Duration.ofSeconds(10));
        }
      }
    }
  }

  private static long micros(int frames) {
    return (long) (frames / FPS * 1_000_000);
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  /** The first answer to {@code queryId} (answers are at-least-once: readers take the first). */
  private static Answer answer(OperatorScenario s, String queryId) throws Exception {
    return Await.until(
            "the answer to " + queryId,
            WAIT,
            s::answers,
            l -> l.stream().anyMatch(a -> a.getQueryId().equals(queryId)))
        .stream()
        .filter(a -> a.getQueryId().equals(queryId))
        .findFirst()
        .orElseThrow();
  }

  private static KeyframeRef newest(Answer a) {
    return a.getKeyframes().stream()
        .max(Comparator.comparingLong(KeyframeRef::getCaptureTimeMicros))
        .orElseThrow(() -> new AssertionError("no frame: " + a));
  }

  /** The record {@code ref} points at (topic, partition, offset), as committed. */
  private static Keyframe keyframeAt(KafkaBroker broker, KeyframeRef ref) {
    assertEquals(Topics.KEYFRAMES.name(), ref.getTopic(), ref.toString());
    return CommittedRecords.read(broker.bootstrapServers(), Topics.KEYFRAMES).stream()
        .filter(r -> r.partition() == ref.getPartition() && r.offset() == ref.getOffset())
        .map(ConsumerRecord::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no record at " + ref));
  }

  /** The camera's keyframes with an image, in capture order. */
  private static List<Keyframe> images(OperatorScenario s) {
    return ours(s).stream().filter(k -> !Progress.is(k)).toList();
  }

  private static List<Keyframe> progress(OperatorScenario s) {
    return ours(s).stream().filter(Progress::is).toList();
  }

  private static List<Keyframe> ours(OperatorScenario s) {
    return s.read(Topics.KEYFRAMES.name(), Keyframe.class).stream()
        .filter(k -> k.getCameraId().equals(CAMERA))
        .toList();
  }
}
