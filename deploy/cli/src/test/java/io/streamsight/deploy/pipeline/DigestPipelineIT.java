package io.streamsight.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.deploy.cli.StreamsightCli;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.CameraSettings;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorScenario;
import io.streamsight.vlm.operator.VlmOperatorIT;
import io.streamsight.vlm.operator.VlmOperatorJob;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WatermarkConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.io.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digests through the whole pipeline: the colour-scene fixture video (red, green, blue; 5 s each
 * here, so one 20 s digest period holds it) → ingest → sampler → operator (MiniCluster, colour
 * fixture, 2 s windows, MiniLM merge) → {@code vlm.digests} on a real broker. One digest comes out
 * whose events are the scenes in order, boundaries within one window of the truth; {@code
 * streamsight summarize} on the same file gives the same sequence.
 *
 * <p>How each timeline is read: the fixture names the colour of each frame given ("red red green
 * green"), and a window that straddles a scene change names both. Such a window may open an event
 * of its own or join either neighbour (MiniLM decides), so each event is read as its dominant
 * colour and consecutive events of one colour as one scene. The pipeline's windows lie on the
 * epoch's 2 s grid and summarize's on the video's, so their mixed windows differ; the scene
 * sequence must not.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class DigestPipelineIT {
  private static final String CAMERA = "cam-digest";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int FPS = 5;
  private static final int SCENE_SECONDS = 5;
  private static final long WINDOW_MICROS = 2_000_000;
  private static final long PERIOD_MILLIS = 20_000;

  @Test
  void givesOneDigestWithTheScenesInOrderAndSummarizeAgrees(KafkaBroker broker, @TempDir Path tmp)
      throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video = tmp.resolve("scenes.mp4");
    SyntheticVideo.builder(160, 90, FPS)
        .add(Segment.solid(200, 30, 30, SCENE_SECONDS * FPS).withNoise(4))
        .add(Segment.solid(40, 170, 60, SCENE_SECONDS * FPS).withNoise(4))
        .add(Segment.solid(30, 40, 200, SCENE_SECONDS * FPS).withNoise(4))
        .write(video);
    Path modelDir = VlmFixtureModel.write(tmp.resolve("model"));
    var model = new EngineModelProvider(modelDir.toString());

    OperatorConfig base = VlmOperatorIT.config();
    OperatorConfig config =
        base
            // Ends the last windows after the video without progress records from the sampler.
            .withWatermarks(new WatermarkConfig(Duration.ofMillis(500), Duration.ofSeconds(2)))
            .withDigests(
                base.digests()
                    .withPeriods(List.of(Duration.ofMillis(PERIOD_MILLIS)))
                    .withLateness(Duration.ofSeconds(3))
                    .withIdleness(Duration.ofSeconds(2)));

    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io =
          KafkaOperatorIo.create(broker.bootstrapServers(), "digests", config.checkpointInterval());
      JobClient job = new VlmOperatorJob(config, model, io).start(env, "digests");
      SamplerApp sampler = null;
      try (KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers())) {
        SamplerConfig samplerConfig =
            new SamplerConfig(
                "digest-sampler",
                new CameraSettings(0.25, Duration.ZERO, Duration.ofMillis(500), 0L),
                Map.of());
        sampler =
            PipelineStages.startSampler(
                broker.bootstrapServers(), tmp.resolve("sampler"), samplerConfig);

        // A file is stamped from the wall clock at its start: begin just after a period starts,
        // so the 15 s video lies inside one 20 s period.
        Await.until(
            "the start of a 20 s period",
            Duration.ofSeconds(30),
            () -> {
              long phase = System.currentTimeMillis() % PERIOD_MILLIS;
              return phase >= 200 && phase < 1500;
            });
        PipelineStages.ingestFile(publisher, CAMERA, video, FPS);

        long first = PipelineStages.firstKeyframeCapture(s, CAMERA, WAIT);
        List<Digest> digests =
            Await.until(
                "a digest of " + CAMERA,
                WAIT,
                () -> s.read(Topics.DIGESTS.name(), Digest.class),
                l -> l.stream().anyMatch(d -> d.getCameraId().equals(CAMERA)));
        List<Digest> mine = digests.stream().filter(d -> d.getCameraId().equals(CAMERA)).toList();
        assertEquals(1, mine.size(), "one digest: " + mine);
        Digest d = mine.get(0);
        assertEquals(PERIOD_MILLIS * 1000, d.getPeriodEndMicros() - d.getPeriodStartMicros());
        assertTrue(d.getPeriodStartMicros() < first && first < d.getPeriodEndMicros(), "" + d);
        assertTrue(d.getWindows() >= 7, "windows of 2 s over 15 s: " + d);

        List<Scene> scenes = new ArrayList<>();
        for (DigestEvent e : d.getEvents()) {
          add(
              scenes,
              new Scene(
                  dominant(e.getText()),
                  (e.getStartMicros() - first) / 1e6,
                  (e.getEndMicros() - first) / 1e6));
          assertTrue(e.getKeyframe() != null, "each event shows a keyframe: " + e);
        }
        assertEquals(
            List.of("red", "green", "blue"), scenes.stream().map(Scene::colour).toList(), "" + d);
        double window = WINDOW_MICROS / 1e6;
        for (int i = 0; i < 3; i++) {
          Scene sc = scenes.get(i);
          assertEquals(i * SCENE_SECONDS, sc.start(), window, "start of " + sc + " in " + d);
          assertEquals((i + 1) * SCENE_SECONDS, sc.end(), window, "end of " + sc + " in " + d);
        }

        List<String> summarized = summarize(video, modelDir, tmp.resolve("summary.json"));
        assertEquals(
            scenes.stream().map(Scene::colour).toList(),
            summarized,
            "summarize on the same file: the same timeline");
      } finally {
        job.cancel().get();
        if (sampler != null) {
          sampler.close(Duration.ofSeconds(10));
        }
      }
    }
  }

  /** One scene of a timeline: its colour and where it starts and ends, seconds from the video. */
  record Scene(String colour, double start, double end) {}

  /** Appends an event, merging it into the last scene when it has the same colour. */
  private static void add(List<Scene> scenes, Scene e) {
    if (!scenes.isEmpty() && scenes.get(scenes.size() - 1).colour().equals(e.colour())) {
      Scene last = scenes.remove(scenes.size() - 1);
      scenes.add(new Scene(last.colour(), last.start(), e.end()));
    } else {
      scenes.add(e);
    }
  }

  /** The colour a fixture text names most often (the first of a tie). */
  static String dominant(String text) {
    Map<String, Integer> n = new HashMap<>();
    List<String> words = Arrays.asList(text.strip().split("\\s+"));
    words.forEach(w -> n.merge(w, 1, Integer::sum));
    String best = words.get(0);
    for (String w : words) {
      if (n.get(w) > n.get(best)) {
        best = w;
      }
    }
    return best;
  }

  /** {@code streamsight summarize --json} on the file, read as its scene colours in order. */
  private static List<String> summarize(Path video, Path model, Path out) throws Exception {
    int code =
        StreamsightCli.run(
            "summarize",
            video.toString(),
            "--model",
            model.toString(),
            "--window",
            "2s",
            "--fps",
            Integer.toString(FPS),
            "--json",
            "--out",
            out.toString());
    assertEquals(0, code, "summarize exit code");
    JsonNode j = new ObjectMapper().readTree(Files.readString(out));
    List<Scene> scenes = new ArrayList<>();
    for (JsonNode e : j.get("timeline")) {
      add(
          scenes,
          new Scene(
              dominant(e.get("text").asText()),
              e.get("startSeconds").asDouble(),
              e.get("endSeconds").asDouble()));
    }
    return scenes.stream().map(Scene::colour).toList();
  }
}
