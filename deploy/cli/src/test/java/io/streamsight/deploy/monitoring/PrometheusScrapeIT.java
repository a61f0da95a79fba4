package io.streamsight.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestMetrics;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.metrics.CameraLabels;
import io.streamsight.metrics.MetricsEndpoint;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.sampler.SamplerMetrics;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.net.ListeningSockets;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import io.streamsight.vlm.operator.inference.EngineOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a running pipeline: ingest (a file paced like a live camera), the
 * sampler and the archive-less operator (MiniCluster, fixture model) in this JVM, our endpoint for
 * ingest and sampler and Flink's reporter for the job, both on loopback. PromQL over Prometheus'
 * API finds the key series and sees them move; when the camera stops, the shipped
 * StreamsightCameraOffline rule (a copy with {@code for: 2s}) fires in that Prometheus.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PrometheusScrapeIT {
  private static final String CAMERA = "cam-metrics";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String FLINK = "flink_taskmanager_job_task_operator_";

  @Test
  void prometheusScrapesEveryStageAndTheOfflineRuleFiresWhenTheCameraStops(
      KafkaBroker broker, @TempDir Path tmp) throws Exception {
    assumeTrue(PrometheusServer.binary("prometheus") != null, PrometheusServer.PACKAGE_HINT);
    String bootstrap = broker.bootstrapServers();
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    // Two minutes of colour changes at 4 fps: scene-change keyframes all along; the test stops
    // the camera long before the end.
    SyntheticVideo.Builder b = SyntheticVideo.builder(160, 120, 4);
    for (int i = 0; i < 12; i++) {
      b.add(i % 2 == 0 ? Segment.solid(255, 0, 0, 40) : Segment.solid(0, 0, 255, 40));
    }
    Path video = b.build().write(tmp.resolve("colours.mp4")).path();
    Path model = VlmFixtureModel.write(tmp.resolve("model"));

    PrometheusRegistry registry = new PrometheusRegistry();
    CameraLabels labels = new CameraLabels();
    int flinkPort = freePort();
    JobClient job =
        OperatorLauncher.start(
            new Launch(
                    bootstrap, model, null, Target.LOCAL, null, "metrics-it", EngineOptions.DEFAULT)
                .withMetrics("127.0.0.1", String.valueOf(flinkPort)));
    SamplerApp sampler =
        new SamplerApp(
            bootstrap,
            tmp.resolve("sampler"),
            SamplerConfig.standard().withApplicationId("metrics-it-sampler"),
            SamplerMetrics.prometheus(registry, labels));
    SamplerMetrics.registerStreams(registry, sampler);
    KafkaPublisher publisher = KafkaPublisher.standard(bootstrap);
    IngestService ingest =
        new IngestService(
            List.of(
                CameraConfig.of(
                        CAMERA,
                        video.toString(),
                        PipelineSettings.defaults().withFps(4).withMaxEdge(128))
                    .withRealtime(true)),
            publisher::forCamera,
            Backoff.defaults());
    IngestMetrics.register(registry, ingest, publisher, labels);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(registry, "127.0.0.1", 0);
        PrometheusServer prom =
            PrometheusServer.start(
                tmp.resolve("prometheus"),
                Map.of(
                    "streamsight-it", "127.0.0.1:" + endpoint.port(),
                    "streamsight-operator", "127.0.0.1:" + flinkPort),
                MonitoringRulesTest.rulesWithShortFor(tmp, "2s"))) {
      sampler.start();
      ingest.start();

      // Key series exist and move.
      double published =
          first(
              awaitSeries(
                  prom,
                  "streamsight_ingest_frames_published_total{camera=\"" + CAMERA + "\"} > 0"));
      awaitSeries(
          prom,
          "streamsight_ingest_frames_published_total{camera=\"" + CAMERA + "\"} > " + published);
      awaitSeries(
          prom, "increase(streamsight_sampler_frames_total{camera=\"" + CAMERA + "\"}[10s]) > 0");
      awaitSeries(
          prom,
          "sum by (camera) (streamsight_sampler_keyframes_total{camera=\"" + CAMERA + "\"}) > 1");
      awaitSeries(prom, "streamsight_sampler_event_lag_seconds{camera=\"" + CAMERA + "\"} < 30");
      awaitSeries(prom, "streamsight_sampler_streams_alive_threads > 0");
      awaitSeries(prom, "jvm_memory_used_bytes{job=\"streamsight-it\"}");
      awaitSeries(prom, FLINK + "streamsight_camera_windowsClosed{camera=\"" + CAMERA + "\"} > 0");
      awaitSeries(
          prom, FLINK + "streamsight_camera_windowsSummarised{camera=\"" + CAMERA + "\"} > 0");
      awaitSeries(
          prom, FLINK + "streamsight_camera_eventTimeLagSeconds{camera=\"" + CAMERA + "\"} < 30");
      // Flink's reporter exports a histogram as a summary: quantiles and a count.
      awaitSeries(prom, FLINK + "inference_latencyMillis{quantile=\"0.5\"} > 0");
      awaitSeries(prom, FLINK + "inference_latencyMillis_count > 0");
      assertTrue(prom.query("ALERTS{alertname=\"StreamsightCameraOffline\"}").isEmpty());

      if (ListeningSockets.supported()) {
        for (ListeningSockets.Socket s : ListeningSockets.notLoopback()) {
          assertTrue(
              s.port() != endpoint.port() && s.port() != flinkPort,
              "a metrics endpoint listens beyond loopback: " + s);
        }
      }

      // The camera stops: it is offline, and the rule fires in Prometheus.
      ingest.stop();
      ingest.await(null, 1000);
      JsonNode alerts =
          Await.until(
              "StreamsightCameraOffline firing for " + CAMERA,
              WAIT,
              prom::alerts,
              a -> {
                for (JsonNode x : a) {
                  if (x.path("labels").path("alertname").asText().equals("StreamsightCameraOffline")
                      && x.path("labels").path("camera").asText().equals(CAMERA)
                      && x.path("state").asText().equals("firing")) {
                    return true;
                  }
                }
                return false;
              });
      assertTrue(alerts.toString().contains("is not online"), alerts.toString());
    } finally {
      ingest.stop();
      job.cancel().get();
      sampler.close(Duration.ofSeconds(10));
      publisher.close();
    }
  }

  /** Waits until the PromQL query returns at least one series, and returns the result. */
  private static JsonNode awaitSeries(PrometheusServer prom, String promql) throws Exception {
    try {
      return Await.until(promql, WAIT, () -> prom.query(promql), r -> r.size() > 0);
    } catch (AssertionError e) {
      String names = "{__name__=~\"(streamsight_|" + FLINK + "(streamsight|inference)).*\"}";
      throw new AssertionError(
          e.getMessage()
              + "\nour series: "
              + prom.query("count by (__name__) (" + names + ")")
              + "\ntargets: "
              + prom.targets()
              + "\nprometheus log: "
              + prom.log(),
          e);
    }
  }

  private static double first(JsonNode result) {
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
