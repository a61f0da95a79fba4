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
import io.streamsight.schemas.avro.AlertPhase;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.records.AlertEvents;
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
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26 end to end with the shipped defaults (10 s windows; the rule's clearAfter 10 s,
 * hysteresis 0.1): a file of red 10 s, green 30 s with a 2 s red flicker in its middle, then static
 * blue 20 s → ingest → sampler → operator (MiniCluster, fixture model naming the dominant colour),
 * rule "Is the scene green?". Exactly one event: STARTED on the first green keyframe, UPDATED with
 * the caption of its window, ENDED (CLEARED) once the scene had been blue for clearAfter, ending
 * where the green scene ended; the flicker, shorter than clearAfter, does not split it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertEventsPipelineIT {
  private static final String CAMERA = "cam-event";
  private static final Duration WAIT = Duration.ofSeconds(150);
  private static final double FPS = 5;
  private static final long SEC = 1_000_000L;
  private static final long WINDOW = 10 * SEC;
  private static final long CLEAR_AFTER = 10 * SEC;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aThirtySecondSceneWithATwoSecondFlickerIsOneEventStartedUpdatedAndEnded(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video =
        SyntheticVideo.builder(160, 120, FPS)
            .add(Segment.solid(255, 0, 0, frames(10)))
            .add(Segment.solid(0, 255, 0, frames(14)))
            .add(Segment.solid(255, 0, 0, frames(2))) // the flicker
            .add(Segment.solid(0, 255, 0, frames(14)))
            .add(Segment.solid(0, 0, 255, frames(20)))
            .build()
            .write(tmp.resolve("green-event.mp4"))
            .path();
    var model = new EngineModelProvider(VlmFixtureModel.write(tmp.resolve("model")).toString());
    OperatorConfig config = OperatorConfig.defaults();

    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      s.rawRule("green", new byte[] {9}); // dead-lettered: then the operator has read the rule
      s.rule("green", "Is the scene green?", Duration.ofMinutes(1));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io =
          KafkaOperatorIo.create(broker.bootstrapServers(), "events", config.checkpointInterval());
      JobClient job = new VlmOperatorJob(config, model, io).start(env, "alert-events");
      SamplerApp sampler = null;
      try (KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers())) {
        Await.until("the operator reading the rules", WAIT, s::deadLetters, l -> !l.isEmpty());
        sampler =
            PipelineStages.startSampler(
                broker.bootstrapServers(),
                tmp.resolve("sampler"),
                SamplerConfig.standard().withApplicationId("events-sampler"));
        PipelineStages.ingestFile(publisher, CAMERA, video, FPS);

        List<Alert> records =
            Await.until(
                "the event's ENDED record",
                WAIT,
                () -> distinct(ours(s.alerts())),
                l -> l.stream().anyMatch(AlertEvents::ended));
        List<Keyframe> keyframes = images(s);
        long first = keyframes.get(0).getCaptureTimeMicros();
        long greenStart = first + 10 * SEC;
        long flickerStart = first + 24 * SEC;
        long greenEnd = first + 40 * SEC;

        assertEquals(1, records.stream().map(Alert::getAlertId).distinct().count(), "" + records);
        List<AlertPhase> phases = records.stream().map(Alert::getPhase).toList();
        assertEquals(AlertPhase.STARTED, phases.get(0), "" + phases);
        assertEquals(AlertPhase.ENDED, phases.get(phases.size() - 1), "" + phases);
        assertTrue(phases.contains(AlertPhase.UPDATED), "" + phases);
        assertEquals(1, phases.stream().filter(p -> p == AlertPhase.STARTED).count());

        Alert started = records.get(0);
        Keyframe firstGreen =
            keyframes.stream()
                .filter(k -> k.getCaptureTimeMicros() >= greenStart)
                .findFirst()
                .orElseThrow();
        assertEquals(firstGreen.getCaptureTimeMicros(), started.getEventStartMicros());
        assertEquals(
            Math.floorDiv(firstGreen.getCaptureTimeMicros(), WINDOW) * WINDOW,
            started.getWindowStartMicros(),
            "the id's window: where it started");
        assertTrue(
            keyframes.stream()
                .anyMatch(
                    k ->
                        k.getCaptureTimeMicros() >= flickerStart
                            && k.getCaptureTimeMicros() < flickerStart + 2 * SEC),
            "the sampler saw the flicker (a red keyframe inside the event)");

        Alert updated =
            records.stream().filter(a -> a.getPhase() == AlertPhase.UPDATED).findFirst().get();
        assertTrue(updated.getSummaryText().contains("green"), updated.getSummaryText());

        Alert ended = records.get(records.size() - 1);
        assertEquals("CLEARED", ended.getEndReason());
        long endedAt = ended.getEventEndMicros();
        assertTrue(
            endedAt >= greenEnd && endedAt <= greenEnd + WINDOW,
            "ends where the green scene ended: " + (endedAt - greenEnd) + " us after");
        assertTrue(AlertEvents.durationMicros(ended) >= 29 * SEC, ended.toString());
        assertTrue(ended.getPeakPYes() >= ended.getThreshold());
        assertTrue(
            ended.getSummaryText() != null && ended.getSummaryText().contains("green"),
            "the latest summary of the event: " + records);
        // Decided on event time: the blue scene's progress records carried it past the end.
        assertTrue(
            s.read(Topics.KEYFRAMES.name(), Keyframe.class).stream()
                .anyMatch(
                    k ->
                        Progress.is(k)
                            && CAMERA.equals(k.getCameraId())
                            && k.getCaptureTimeMicros() >= endedAt + CLEAR_AFTER),
            "progress past the end + clearAfter");
      } finally {
        job.cancel().get();
        if (sampler != null) {
          sampler.close(Duration.ofSeconds(10));
        }
      }
    }
  }

  private static int frames(int seconds) {
    return (int) (seconds * FPS);
  }

  private static List<Keyframe> images(OperatorScenario s) {
    return s.read(Topics.KEYFRAMES.name(), Keyframe.class).stream()
        .filter(k -> k.getCameraId().equals(CAMERA) && !Progress.is(k))
        .toList();
  }

  private static List<Alert> ours(List<Alert> all) {
    return all.stream().filter(a -> CAMERA.equals(a.getCameraId())).toList();
  }

  /** Each record once: alerts are at-least-once, a repeat has the same record key. */
  private static List<Alert> distinct(List<Alert> alerts) {
    Set<String> seen = new HashSet<>();
    return alerts.stream().filter(a -> seen.add(AlertEvents.recordKey(a))).toList();
  }
}
