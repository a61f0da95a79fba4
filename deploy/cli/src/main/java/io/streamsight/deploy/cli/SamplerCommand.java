package io.streamsight.deploy.cli;

import io.streamsight.sampler.OversizedRecordHandler;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.sampler.SamplerMetrics;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamsight sampler}: runs the frame sampler (Kafka Streams, exactly-once) until stopped.
 * Several instances with the same application id share the cameras' partitions.
 */
@Command(
    name = "sampler",
    mixinStandardHelpOptions = true,
    description = "Run the frame sampler: cameras.frames -> keyframe rules -> cameras.keyframes.")
public final class SamplerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SamplerCommand.class);

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(
      names = "--config",
      description =
          "sampler.yaml: thresholds, gaps, per-camera overrides and ROI masks (keys:"
              + " docs/configuration.md).")
  Path config;

  @Option(
      names = "--state-dir",
      defaultValue = "${java.io.tmpdir}/streamsight-sampler",
      description =
          "Local state (a cache of the changelog); one per instance (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--application-id",
      description = "Overrides applicationId from the config (state, consumer group).")
  String applicationId;

  @picocli.CommandLine.Mixin MetricsOptions metrics;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SamplerConfig cfg = config == null ? SamplerConfig.standard() : SamplerConfig.load(config);
    if (applicationId != null) {
      cfg = cfg.withApplicationId(applicationId);
    }
    requireTopics(cfg);
    var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    var cl = spec.commandLine();
    SamplerApp app =
        new SamplerApp(
            bootstrap,
            stateDir,
            cfg,
            metrics.enabled(MetricsOptions.SAMPLER)
                ? SamplerMetrics.prometheus(registry, metrics.labels(cl))
                : SamplerMetrics.NONE);
    KafkaStreams streams = app.streams();
    SamplerMetrics.registerStreams(registry, streams);
    var endpoint = metrics.start(cl, registry, MetricsOptions.SAMPLER, System.err);
    streams.setUncaughtExceptionHandler(OversizedRecordHandler.uncaughtExceptionHandler());
    CountDownLatch stopped = new CountDownLatch(1);
    String appId = cfg.applicationId();
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING) {
            LOG.info(
                "sampler {} running: {} -> {} (state {})",
                appId,
                Topics.FRAMES.name(),
                Topics.KEYFRAMES.name(),
                stateDir);
          }
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    // Bad records never get here (they are dead-lettered); what does is a broker or state
    // failure, which a restart from the committed state handles better than a half-alive app.
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("sampler {} failed, shutting down: {}", appId, e.toString(), e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    Thread hook = new Thread(() -> app.close(Duration.ofSeconds(30)), "sampler-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    app.start();
    stopped.await();
    boolean failed = streams.state() == KafkaStreams.State.ERROR;
    app.close(Duration.ofSeconds(30));
    endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is what stopped us
    }
    return failed ? 1 : 0;
  }

  /** Kafka Streams would only log a missing source topic and stop; say which and how to fix. */
  private void requireTopics(SamplerConfig cfg) throws Exception {
    List<String> needed =
        new ArrayList<>(
            List.of(
                Topics.FRAMES.name(), Topics.KEYFRAMES.name(), Topics.dlq("frame-sampler").name()));
    if (cfg.questions().enabled()) {
      needed.add(Topics.QUERIES.name());
    }
    try (Admin admin = TopicsCommand.admin(bootstrap)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> missing = new ArrayList<>(needed);
      missing.removeAll(existing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "missing topics "
                + missing
                + " on "
                + bootstrap
                + "; create them with: streamsight topics create --bootstrap "
                + bootstrap);
      }
    }
  }
}
