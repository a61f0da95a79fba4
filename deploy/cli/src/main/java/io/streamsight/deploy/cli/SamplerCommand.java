package io.streamsight.deploy.cli;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
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
      names = "--health-file",
      description =
          "Touched every 10 s while the sampler runs (or rebalances): a liveness probe restarts a"
              + " sampler whose file is older than a minute (deploy/k8s/sampler.yaml).")
  Path healthFile;

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
    // SamplerApp installs the one stream-thread exception handler (an oversized record's thread is
    // replaced once and the record dead-lettered; anything else shuts the client down, logged):
    // Kafka Streams keeps only the last handler set, so nothing here may set another.
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
    SamplerMetrics.registerStreams(registry, app);
    var endpoint = metrics.start(cl, registry, MetricsOptions.SAMPLER, System.err);
    CountDownLatch stopped = new CountDownLatch(1);
    String appId = cfg.applicationId();
    app.setStateListener(
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
    Thread hook = new Thread(() -> app.close(Duration.ofSeconds(30)), "sampler-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService health = healthFile == null ? null : startHealthFile(app);
    try {
      app.start();
      stopped.await(); // an interrupt (an embedding caller stopping us) closes the app too
      return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
    } finally {
      if (health != null) {
        health.shutdownNow();
      }
      app.close(Duration.ofSeconds(30));
      endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what stopped us
      }
    }
  }

  /**
   * The sampler's health signal, as simple as it gets: the file's modification time moves on while
   * the Streams client is running or rebalancing, and stops when it is not (an error, a shutdown, a
   * stream thread stuck so long that the client left RUNNING).
   */
  private ScheduledExecutorService startHealthFile(SamplerApp app) throws java.io.IOException {
    Path parent = healthFile.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sampler-health");
              t.setDaemon(true);
              return t;
            });
    s.scheduleAtFixedRate(
        () -> {
          if (app.state().isRunningOrRebalancing()) {
            try {
              java.nio.file.Files.write(healthFile, new byte[0]);
            } catch (java.io.IOException e) {
              LOG.warn("cannot touch the health file {}: {}", healthFile, e.toString());
            }
          }
        },
        0,
        10,
        TimeUnit.SECONDS);
    return s;
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
