package io.streamsight.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 end to end, with the shipped sampler and operator defaults (10 s windows, keyframes at
 * least every 30 s, 10 s checkpoints): a file of red, then green with a moving white box (motion:
 * later green keyframes when the sampler finds it novel enough), then blue that stays static until
 * the stream ends → ingest → sampler → operator (MiniCluster, fixture model), and a rule "Is the
 * scene green?".
 *
 * <p>Before issue 19 the blue scene was never summarised (no later keyframe closed its window) and
 * the green alert came with the window's close. Now every window holding a keyframe is summarised,
 * the last ones closed by the sampler's progress records, and the green alert is produced by the
 * first green keyframe: its evidence (the window so far) ends with that keyframe. Behaviour only,
 * no wall-clock bounds (the benchmark measures those).
 */
@ExtendWith(KafkaBrokerExtension.class)
class EarlyAlertsPipelineIT {
  private static final String CAMERA = "cam-early";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final double FPS = 5;
  // 12 s scenes: longer than a window, so the first green keyframe never shares a window with red.
  private static final int SCENE_FRAMES = 60;
  private static final long WINDOW = 10_000_000L;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void summarisesEverySceneIncludingTheLastStaticOneAndAlertsOnTheFirstGreenKeyframe(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video =
        SyntheticVideo.builder(160, 120, FPS)
            .add(Segment.solid(255, 0, 0, SCENE_FRAMES))
            .add(Segment.solid(0, 255, 0, SCENE_FRAMES).withMovingBox(48, 255, 255, 255))
            .add(Segment.solid(0, 0, 255, SCENE_FRAMES))
            .build()
            .write(tmp.resolve("red-green-blue.mp4"))
            .path();
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    OperatorConfig config = OperatorConfig.defaults(); // the shipped defaults, unchanged

    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      // An invalid record, then the rule, under one key: once the invalid one is dead-lettered the
      // operator has read up to the rule.
      s.rawRule("green", new byte[] {9});
      s.rule("green", "Is the scene green?", Duration.ofMinutes(1));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io =
          KafkaOperatorIo.create(broker.bootstrapServers(), "early", config.checkpointInterval());
      JobClient job = new VlmOperatorJob(config, model, io).start(env, "early");
      SamplerApp sampler = null;
      try (KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers())) {
        Await.until("the operator reading the rules", WAIT, s::deadLetters, l -> !l.isEmpty());
        SamplerConfig samplerConfig = SamplerConfig.standard().withApplicationId("early-sampler");
        sampler =
            PipelineStages.startSampler(
                broker.bootstrapServers(), tmp.resolve("sampler"), samplerConfig);

        PipelineStages.ingestFile(publisher, CAMERA, video, FPS);

        // Every window that holds a keyframe must be summarised, the last (static blue) one too,
        // although no keyframe follows it: the sampler's progress records close it.
        List<Keyframe> keyframes =
            Await.until(
                "the sampler's keyframes up to the blue scene",
                WAIT,
                () -> images(s),
                l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= blueStart(l)));
        Set<Long> windows = new TreeSet<>();
        keyframes.forEach(k -> windows.add(Math.floorDiv(k.getCaptureTimeMicros(), WINDOW)));
        List<Summary> summaries =
            Await.until(
                "a summary of every window with a keyframe",
                WAIT,
                () -> ours(s.summaries()),
                l -> l.size() >= windows.size());
        Set<Long> summarised = new TreeSet<>();
        summaries.forEach(x -> summarised.add(x.getWindowStartMicros() / WINDOW));
        assertEquals(windows, summarised, "every window with a keyframe, once: " + summaries);
        assertEquals(windows.size(), summaries.size(), "no window twice");
        for (String colour : List.of("red", "green", "blue")) {
          assertTrue(
              summaries.stream().anyMatch(x -> x.getText().contains(colour)),
              colour + " is summarised: " + summaries);
        }
        Summary last = summaries.get(summaries.size() - 1);
        assertTrue(last.getText().contains("blue"), "the static last scene: " + last.getText());
        assertTrue(
            s.read(Topics.KEYFRAMES.name(), Keyframe.class).stream().anyMatch(Progress::is),
            "progress records on cameras.keyframes");

        // The alert came from the keyframe that first showed green, not from a later one.
        long greenStart = greenStart(keyframes);
        Keyframe firstGreen =
            keyframes.stream()
                .filter(k -> k.getCaptureTimeMicros() >= greenStart)
                .findFirst()
                .orElseThrow();
        List<Alert> alerts = distinctById(ours(s.alerts()));
        assertEquals(1, alerts.size(), "one alert id (cooldown 1 min): " + alerts);
        Alert alert = alerts.get(0);
        List<KeyframeRef> evidence = alert.getEvidence();
        assertEquals(
            firstGreen.getCaptureTimeMicros(),
            evidence.get(evidence.size() - 1).getCaptureTimeMicros(),
            "evidence ends with the first green keyframe: " + evidence);
        assertEquals(
            Math.floorDiv(firstGreen.getCaptureTimeMicros(), WINDOW) * WINDOW,
            alert.getWindowStartMicros(),
            "its window");
      } finally {
        job.cancel().get();
        if (sampler != null) {
          sampler.close(Duration.ofSeconds(10));
        }
      }
    }
  }

  /** The camera's keyframes with an image, in capture order. */
  private static List<Keyframe> images(OperatorScenario s) {
    return s.read(Topics.KEYFRAMES.name(), Keyframe.class).stream()
        .filter(k -> k.getCameraId().equals(CAMERA) && !Progress.is(k))
        .toList();
  }

  private static long firstCapture(List<Keyframe> keyframes) {
    return keyframes.isEmpty() ? Long.MAX_VALUE : keyframes.get(0).getCaptureTimeMicros();
  }

  private static long greenStart(List<Keyframe> keyframes) {
    return firstCapture(keyframes) + (long) (SCENE_FRAMES / FPS * 1_000_000);
  }

  private static long blueStart(List<Keyframe> keyframes) {
    return firstCapture(keyframes) + (long) (2 * SCENE_FRAMES / FPS * 1_000_000);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> ours(List<T> all) {
    return all.stream()
        .filter(r -> CAMERA.equals(String.valueOf(r.get(r.getSchema().getField("cameraId").pos()))))
        .toList();
  }

  private static List<Alert> distinctById(List<Alert> alerts) {
    Set<String> seen = new HashSet<>();
    return alerts.stream().filter(a -> seen.add(a.getAlertId())).toList();
  }
}
