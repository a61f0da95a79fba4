package io.streamsight.deploy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.ScoreMethod;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.vlm.engine.EngineConfig;
import io.streamsight.vlm.engine.VlmEngine;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorScenario;
import io.streamsight.vlm.operator.VlmOperatorJob;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.RemoteModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import io.streamsight.vlm.operator.io.TopicNames;
import io.streamsight.vlm.remote.RemoteModelConfig;
import io.streamsight.vlm.serve.ServeConfig;
import io.streamsight.vlm.serve.ServeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline (ingest → sampler → operator on a MiniCluster) with its model a real {@code
 * streamsight serve} on the fixture model, reached over HTTP exactly as {@code operator --model
 * http://127.0.0.1:PORT/v1} does ({@link RemoteModelProvider} of {@link RemoteModelConfig#of}). A
 * live camera: 12 s red, 12 s green with a moving box (keyframes keep coming), 12 s blue, played at
 * its own speed; 10 s windows (the shipped defaults).
 */
@ExtendWith(KafkaBrokerExtension.class)
class RemoteModelPipelineIT {
  // One camera per test: the tests share the broker, and a job reads its topics from the start.
  private String camera;
  private static final Duration WAIT = Duration.ofSeconds(150);
  private static final double FPS = 5;
  private static final int SCENE_FRAMES = 60;
  private static final long SCENE = (long) (SCENE_FRAMES / FPS * 1_000_000);
  private static final long WINDOW = 10_000_000L;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void summarisesAlertsFromLogprobsAndAnswersThroughTheServer(KafkaBroker broker, @TempDir Path tmp)
      throws Exception {
    camera = "cam-remote-live";
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video = video(tmp);
    try (ServeServer server = serve(tmp, 0)) {
      var model = new RemoteModelProvider(RemoteModelConfig.of(server.baseUrl().toString(), null));
      OperatorConfig shipped = OperatorConfig.defaults();
      // As LiveQuestionsPipelineIT: a loaded machine must not turn a fresh answer into OFFLINE.
      OperatorConfig config =
          shipped.withAsk(
              new OperatorConfig.AskConfig(
                  shipped.ask().maxNewTokens(), shipped.ask().freshness(), Duration.ofSeconds(5)));
      try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
        s.rule("green", "Is the scene green?", Duration.ofMinutes(1));
        Run run = Run.start(broker, tmp, s, config, model, video, "remote", camera);
        try {
          long first = PipelineStages.firstKeyframeCapture(s, camera, WAIT);
          Await.until(
              "a green keyframe",
              WAIT,
              () -> images(s),
              l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= first + SCENE + 2_000_000));
          s.query(
              "q-green", camera, "What colour is the scene?", System.currentTimeMillis() * 1000);
          Answer a = answer(s, "q-green");
          assertEquals(AnswerStatus.ANSWERED, a.getStatus(), a.toString());
          assertTrue(a.getText().contains("green"), a.getText());

          Alert alert =
              Await.until("the green alert", WAIT, () -> ours(s.alerts()), l -> !l.isEmpty())
                  .get(0);
          assertEquals(ScoreMethod.LOGPROBS, alert.getScoreMethod(), alert.toString());
          assertTrue(alert.getPYes() > 0.5, alert.toString());

          List<Summary> summaries =
              Await.until(
                  "summaries of the three scenes",
                  WAIT,
                  () -> ours(s.summaries()),
                  l -> l.stream().anyMatch(x -> x.getText().contains("blue")));
          for (String colour : List.of("red", "green", "blue")) {
            assertTrue(
                summaries.stream().anyMatch(x -> x.getText().contains(colour)),
                colour + " summarised: " + summaries);
          }
          assertTrue(server.completions() > 0);
        } finally {
          run.stop();
        }
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void survivesTheServerDyingMidStreamWithoutDoublingOrLosingUncountedWindows(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    camera = "cam-remote-restart";
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    Path video = video(tmp);
    ServeServer server = serve(tmp, 0);
    int port = server.port();
    // Short retries and breaker, so a dead server sheds within seconds instead of 30 s.
    RemoteModelConfig remote =
        new RemoteModelConfig(
            server.baseUrl().toString(),
            null,
            null,
            null,
            8,
            Duration.ofSeconds(5),
            1,
            Duration.ofMillis(500),
            8,
            1024,
            2,
            Duration.ofSeconds(2));
    try (OperatorScenario s = new OperatorScenario(broker, TopicNames.standard())) {
      s.rule("green", "Is the scene green?", Duration.ofMinutes(1));
      Run run =
          Run.start(
              broker,
              tmp,
              s,
              OperatorConfig.defaults(),
              new RemoteModelProvider(remote),
              video,
              "restart",
              camera);
      try {
        Await.until("a first summary", WAIT, () -> ours(s.summaries()), l -> !l.isEmpty());
        server.close(); // killed mid-stream (in the red scene's second window)
        long first = PipelineStages.firstKeyframeCapture(s, camera, WAIT);
        Await.until(
            "the stream 4 s into green with the server down",
            WAIT,
            () -> ours(s.read(Topics.KEYFRAMES.name(), Keyframe.class)),
            l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= first + SCENE + 4_000_000));
        long restarted = first + SCENE + 4_000_000;
        server = serve(tmp, port); // restarted on the same port

        run.ingest.await(System.out, 60_000);
        Set<Long> windows = new TreeSet<>();
        Await.until(
                "the sampler's keyframes to the end",
                WAIT,
                () -> images(s),
                l -> l.stream().anyMatch(k -> k.getCaptureTimeMicros() >= first + 2 * SCENE))
            .forEach(k -> windows.add(Math.floorDiv(k.getCaptureTimeMicros(), WINDOW)));
        long lastWindow = windows.stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Summary> summaries =
            Await.until(
                "the last window's summary",
                WAIT,
                () -> ours(s.summaries()),
                l -> l.stream().anyMatch(x -> x.getWindowStartMicros() / WINDOW == lastWindow));

        Set<Long> summarised = new HashSet<>();
        summaries.forEach(
            x ->
                assertTrue(
                    summarised.add(x.getWindowStartMicros() / WINDOW),
                    "window summarised twice: " + x + "\nall: " + summaries));
        int shed = summaries.stream().mapToInt(Summary::getWindowsShedBefore).sum();
        Set<Long> missing = new TreeSet<>(windows);
        missing.removeAll(summarised);
        assertTrue(
            missing.size() <= shed,
            "windows without a summary " + missing + " must be counted as shed (" + shed + ")");
        // A window the dead server failed is summarised once with finishReason error (counted,
        // not doubled); after the restart the server describes windows again.
        assertTrue(
            summaries.stream()
                .anyMatch(
                    x ->
                        x.getWindowEndMicros() > restarted
                            && "stop".equals(x.getFinishReason())
                            && !x.getText().isEmpty()),
            "a described window after the restart: " + summaries);
        List<Alert> alerts = ours(s.alerts());
        Set<String> ids = new HashSet<>();
        alerts.forEach(a -> ids.add(a.getAlertId().toString()));
        assertTrue(ids.size() <= 1, "one alert id at most (cooldown 1 min): " + alerts);
        assertEquals(JobStatus.RUNNING, run.job.getJobStatus().get(), "the job keeps running");
      } finally {
        run.stop();
        server.close();
      }
    }
  }

  private static ServeServer serve(Path tmp, int port) throws Exception {
    Path dir = tmp.resolve("model");
    if (!dir.toFile().exists()) {
      VlmFixtureModel.write(dir);
    }
    ServeServer server =
        ServeServer.start(
            ServeConfig.defaults("colours").withBind("127.0.0.1", port),
            null,
            () -> VlmEngine.load(dir, EngineConfig.CPU));
    server.awaitReady(Duration.ofSeconds(90));
    return server;
  }

  private static Path video(Path tmp) throws Exception {
    return SyntheticVideo.builder(160, 120, FPS)
        .add(Segment.solid(255, 0, 0, SCENE_FRAMES))
        .add(Segment.solid(0, 255, 0, SCENE_FRAMES).withMovingBox(48, 255, 255, 255))
        .add(Segment.solid(0, 0, 255, SCENE_FRAMES))
        .build()
        .write(tmp.resolve("red-green-blue.mp4"))
        .path();
  }

  /** The job, sampler and live ingest of one test. */
  private record Run(
      JobClient job, SamplerApp sampler, KafkaPublisher publisher, IngestService ingest) {
    static Run start(
        KafkaBroker broker,
        Path tmp,
        OperatorScenario s,
        OperatorConfig config,
        RemoteModelProvider model,
        Path video,
        String name,
        String camera)
        throws Exception {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              1, new org.apache.flink.configuration.Configuration());
      var io = KafkaOperatorIo.create(broker.bootstrapServers(), name, config.checkpointInterval());
      JobClient job = new VlmOperatorJob(config, model, io).start(env, name);
      SamplerApp sampler =
          PipelineStages.startSampler(
              broker.bootstrapServers(),
              tmp.resolve("sampler-" + name),
              SamplerConfig.standard().withApplicationId(name + "-sampler"));
      KafkaPublisher publisher = KafkaPublisher.standard(broker.bootstrapServers());
      IngestService ingest = PipelineStages.startIngest(publisher, camera, video, FPS, true);
      return new Run(job, sampler, publisher, ingest);
    }

    void stop() throws Exception {
      ingest.stop();
      job.cancel().get();
      sampler.close(Duration.ofSeconds(10));
      publisher.close();
    }
  }

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

  private List<Keyframe> images(OperatorScenario s) {
    return ours(s.read(Topics.KEYFRAMES.name(), Keyframe.class)).stream()
        .filter(k -> !Progress.is(k))
        .toList();
  }

  private <T extends org.apache.avro.specific.SpecificRecord> List<T> ours(List<T> all) {
    return all.stream()
        .filter(r -> camera.equals(String.valueOf(r.get(r.getSchema().getField("cameraId").pos()))))
        .toList();
  }
}
