package io.streamsight.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.CameraSettings;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorScenario;
import io.streamsight.vlm.operator.VlmOperatorIT;
import io.streamsight.vlm.operator.VlmOperatorJob;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.io.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the standard topics: a synthetic H.264 file (6 s red, then 8 s blue) →
 * ingest → cameras.frames → sampler (Kafka Streams) → cameras.keyframes → operator (MiniCluster,
 * fixture model) → summaries, one alert, an answer.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PipelineEndToEndIT {
  private static final String CAMERA = "cam-e2e";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final double FPS = 8;
  private static final int RED_FRAMES = 48;
  private static final int BLUE_FRAMES = 64;

  @Test
  void summarisesRedThenBlueAlertsOnceInTheBlueSegmentAndAnswersAQuestion(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video =
        SyntheticVideo.builder(160, 120, FPS)
            .add(Segment.solid(255, 0, 0, RED_FRAMES))
            .add(Segment.solid(0, 0, 255, BLUE_FRAMES))
            .build()
            .write(tmp.resolve("red-blue.mp4"))
            .path();
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());

    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      // An invalid record, then the rule, under one key (so one partition, in this order): once
      // the invalid one is dead-lettered the operator has read up to the rule.
      s.rawRule("e2e-blue", new byte[] {9});
      s.rule("e2e-blue", "Is the scene blue?", Duration.ofSeconds(60));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io =
          KafkaOperatorIo.create(
              broker.bootstrapServers(), "e2e", VlmOperatorIT.config().checkpointInterval());
      JobClient job = new VlmOperatorJob(VlmOperatorIT.config(), model, io).start(env, "e2e");
      SamplerApp sampler = null;
      try (KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers())) {
        Await.until("the operator reading the rules", WAIT, s::deadLetters, l -> !l.isEmpty());

        // Keyframes every 500 ms at least, so each 2 s window gets several.
        SamplerConfig samplerConfig =
            new SamplerConfig(
                "e2e-sampler",
                new CameraSettings(0.25, Duration.ZERO, Duration.ofMillis(500), 0L),
                Map.of());
        sampler =
            PipelineStages.startSampler(
                broker.bootstrapServers(), tmp.resolve("sampler"), samplerConfig);

        PipelineStages.ingestFile(publisher, CAMERA, video, FPS);

        // The newest windows stay open: nothing after the video moves the watermark. The sampler
        // keeps a keyframe at least every 500 ms, so the last one is within 500 ms of the last
        // frame and the watermark reaches it minus the 500 ms out-of-orderness (and 1 ms): every
        // 2 s window that ends by then must close. (Computing this from the window grid matters:
        // the grid's phase against the video start is wherever the wall clock put it.)
        long first = PipelineStages.firstKeyframeCapture(s, CAMERA, WAIT);
        long blueStart = first + (long) (RED_FRAMES / FPS * 1_000_000);
        long videoEnd = blueStart + (long) (BLUE_FRAMES / FPS * 1_000_000);
        long lastFrame = videoEnd - (long) (1_000_000 / FPS);
        long surelyReached = lastFrame - 500_000 - 500_000 - 1_000;
        long lastClosable = Math.floorDiv(surelyReached, 2_000_000) * 2_000_000;
        List<Summary> summaries =
            Await.until(
                "summaries up to the end of the video",
                WAIT,
                s::summaries,
                l -> l.stream().anyMatch(x -> x.getWindowEndMicros() >= lastClosable));
        s.query("e2e-q", CAMERA, "What colour is the scene?");
        List<Answer> answers =
            Await.until(
                "the answer",
                WAIT,
                s::answers,
                l -> l.stream().anyMatch(a -> a.getQueryId().equals("e2e-q")));

        summaries =
            summaries.stream()
                .filter(x -> x.getCameraId().equals(CAMERA))
                .sorted(Comparator.comparingLong(Summary::getWindowStartMicros))
                .toList();
        // Colours in order: red windows, then (after at most one mixed window) blue ones.
        for (Summary x : summaries) {
          if (x.getWindowEndMicros() <= blueStart) {
            assertTrue(x.getText().contains("red") && !x.getText().contains("blue"), x.getText());
          } else if (x.getWindowStartMicros() >= blueStart) {
            assertTrue(x.getText().contains("blue") && !x.getText().contains("red"), x.getText());
          }
        }
        assertTrue(summaries.get(0).getText().contains("red"));
        assertTrue(summaries.get(summaries.size() - 1).getText().contains("blue"));

        // One event (its STARTED, then UPDATED / ENDED records under the same id).
        List<Alert> alerts =
            s.alerts().stream()
                .filter(a -> a.getCameraId().equals(CAMERA))
                .filter(AlertEvents::opens)
                .toList();
        assertEquals(
            1, alerts.size(), "one alert event (cooldown longer than the segment): " + alerts);
        assertTrue(alerts.get(0).getWindowEndMicros() > blueStart, "inside the blue segment");
        assertEquals(
            1,
            s.alerts().stream()
                .filter(a -> a.getCameraId().equals(CAMERA))
                .map(Alert::getAlertId)
                .distinct()
                .count(),
            "every record of the camera is of that event");

        Answer a = answers.stream().filter(x -> x.getQueryId().equals("e2e-q")).findFirst().get();
        // Asked after the video ended: ANSWERED when its last frame is at most ask.freshness
        // older than the question, else OFFLINE (answered from that frame, saying how old it is).
        assertTrue(
            a.getStatus() == AnswerStatus.ANSWERED || a.getStatus() == AnswerStatus.OFFLINE,
            a.toString());
        assertTrue(a.getText().contains("blue"), a.getText());
      } finally {
        job.cancel().get();
        if (sampler != null) {
          sampler.close(Duration.ofSeconds(10));
        }
      }
    }
  }
}
