package io.streamsight.deploy.demo;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.console.AccessToken;
import io.streamsight.console.ConsoleConfig;
import io.streamsight.console.ConsoleServer;
import io.streamsight.console.search.SearchBackend;
import io.streamsight.console.subscriptions.SubscriptionsBackend;
import io.streamsight.deploy.cli.ConsoleCommand;
import io.streamsight.deploy.console.ConnectSubscriptionsBackend;
import io.streamsight.deploy.metrics.SubscriptionMetrics;
import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.metrics.MetricsEndpoint;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.operator.inference.EngineOptions;
import io.streamsight.vlm.remote.RemoteModelConfig;
import io.streamsight.vlm.runtime.ExecutionProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.bytedeco.ffmpeg.global.avutil;
import sun.misc.Signal;

/**
 * {@code streamsight demo}: the whole pipeline in this JVM. Starts a KRaft broker, creates the
 * topics, runs the archive, serves the console (web page, searching the archive), runs the sampler,
 * the operator (Flink local), installs two example rules, ingests the sample video (or {@code
 * --source}), asks one live question, and prints the feed until the duration passes or Ctrl-C; then
 * stops every part in reverse order and exits 0.
 */
public final class DemoRunner {
  static final String CAMERA = "demo-cam";

  /**
   * Options of one run; {@code duration == null} runs until Ctrl-C.
   *
   * @param variant weights to load; null = one the model directory holds ({@link DemoModel})
   * @param provider ONNX Runtime execution provider of the operator's engine
   * @param tensorRtFp16 whether TensorRT may run layers in fp16
   * @param bind address of the broker's client listener and Flink's REST endpoint (127.0.0.1 unless
   *     {@code --bind})
   * @param server an OpenAI-compatible server for every task instead of {@code model} ({@code
   *     --model http(s)://...}), or null
   * @param metricsBind address of the metrics endpoints (127.0.0.1 when null)
   * @param metricsPort port of the demo process's metrics (ingest, sampler, archive, Connect,
   *     console), 0 = no metrics; the operator's Flink reporter takes the first free port from
   *     {@code metricsPort + 3} on (9403 with the default 9400)
   */
  public record Options(
      Path model,
      String source,
      Duration duration,
      Path out,
      Path data,
      ModelVariant variant,
      ExecutionProvider provider,
      boolean tensorRtFp16,
      String bind,
      RemoteModelConfig server,
      String metricsBind,
      int metricsPort) {
    public Options {
      bind = bind == null ? "127.0.0.1" : bind;
      metricsBind = metricsBind == null ? "127.0.0.1" : metricsBind;
    }

    /** An in-process model. */
    public Options(
        Path model,
        String source,
        Duration duration,
        Path out,
        Path data,
        ModelVariant variant,
        ExecutionProvider provider,
        boolean tensorRtFp16,
        String bind) {
      this(
          model, source, duration, out, data, variant, provider, tensorRtFp16, bind, null, null, 0);
    }

    /** The engine's defaults (a variant the model holds, {@code auto} provider), on loopback. */
    public Options(Path model, String source, Duration duration, Path out, Path data) {
      this(
          model,
          source,
          duration,
          out,
          data,
          null,
          ExecutionProvider.AUTO,
          true,
          null,
          null,
          null,
          0);
    }
  }

  private final Options opts;
  private final PrintStream out;
  private final Deque<Stage> running = new ArrayDeque<>();
  // Null when metrics are off: every stage then counts nothing.
  private PrometheusRegistry registry;

  public DemoRunner(Options opts, PrintStream out) {
    this.opts = opts;
    this.out = out;
  }

  public int run() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Signal.handle(new Signal("TERM"), s -> stop.countDown());

    // FFmpeg logs every stream it opens and every scaler it builds; the feed is the output here.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    // Resolved and checked before anything starts: a model without the chosen variant is one
    // message, not a failing Flink job behind a running broker.
    DemoModel model =
        opts.server() == null ? DemoModel.resolve(opts.model(), opts.variant()) : null;
    out.println(
        model != null
            ? model.banner()
            : "model: the server at "
                + opts.server().baseUrl()
                + (opts.server().model() == null ? "" : " (" + opts.server().model() + ")"));
    boolean tempData = opts.data() == null;
    Path data = tempData ? Files.createTempDirectory("streamsight-demo") : opts.data();
    String source =
        opts.source() != null
            ? opts.source()
            : SampleVideo.ensure(DemoModel.home().resolve("demo")).toString();
    LiveFeed feed = null;
    Thread feedThread = null;
    try {
      KafkaBroker broker =
          KafkaBroker.start(
              BrokerConfig.singleNode(0, data.resolve("kafka")).withBind(opts.bind()));
      running.push(named("Kafka broker", broker::close));
      String bootstrap = broker.bootstrapServers();
      step("Kafka broker (KRaft) on " + bootstrap);
      try (Admin admin = broker.admin()) {
        new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
      }
      step("topics created");
      startMetrics();
      ArchiveStage archive = new ArchiveStage(bootstrap, data.resolve("archive"), registry);
      start(archive);
      URI connect = startSubscriptions(bootstrap, data.resolve("connect-secrets"));
      startConsole(
          bootstrap,
          data.resolve("console"),
          archive.search(),
          new ConnectSubscriptionsBackend(connect));
      feed = new LiveFeed(bootstrap, opts.out(), out);
      feedThread = new Thread(feed, "demo-feed");
      feedThread.start();
      LiveFeed feedRef = feed;
      running.push(named("live feed", feedRef::close));
      start(new SamplerStage(bootstrap, data.resolve("sampler-state"), registry));
      String metricsHost = opts.metricsPort() == 0 ? null : opts.metricsBind();
      String metricsPorts =
          opts.metricsPort() == 0
              ? null
              : (opts.metricsPort() + 3) + "-" + (opts.metricsPort() + 12);
      start(
          model != null
              ? new OperatorStage(
                  bootstrap,
                  model.dir(),
                  new EngineOptions(model.variant(), opts.provider(), opts.tensorRtFp16()),
                  opts.bind(),
                  metricsHost,
                  metricsPorts)
              : new OperatorStage(
                  bootstrap, opts.server(), opts.bind(), metricsHost, metricsPorts));
      DemoRecords.installRules(bootstrap);
      DemoRecords.exampleRules()
          .forEach(
              r ->
                  step(
                      "rule "
                          + r.getId()
                          + ": \""
                          + r.getQuestion()
                          + "\" on "
                          + r.getCameraGlob()));
      start(new IngestStage(bootstrap, CAMERA, source, registry));
      out.println(
          "\nLive feed"
              + (opts.duration() == null
                  ? " (Ctrl-C to stop)"
                  : " for " + opts.duration().toSeconds() + " s (Ctrl-C stops early)")
              + ":\n");
      await(stop, feed, bootstrap);
    } finally {
      out.println("\nStopping...");
      while (!running.isEmpty()) {
        Stage s = running.pop();
        long t0 = System.nanoTime();
        try {
          s.close();
          out.printf("  stopped: %s (%d ms)%n", s.name(), (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
          out.println("  (while stopping " + s.name() + ": " + e.getMessage() + ")");
        }
      }
      if (feedThread != null) {
        feedThread.join(5000);
        feed.closeFiles();
      }
      if (tempData) {
        deleteTree(data);
      }
    }
    out.printf(
        "Done: %d summaries, %d alerts, %d answers%s.%n",
        feed.summaries(),
        feed.alerts(),
        feed.answers(),
        opts.out() == null ? "" : " (written to " + opts.out().toAbsolutePath() + ")");
    return 0;
  }

  /** Waits for the duration or a signal; asks one question once the first summary is out. */
  private void await(CountDownLatch stop, LiveFeed feed, String bootstrap)
      throws InterruptedException {
    long deadline =
        opts.duration() == null ? Long.MAX_VALUE : System.nanoTime() + opts.duration().toNanos();
    boolean asked = false;
    while (System.nanoTime() < deadline) {
      if (stop.await(500, TimeUnit.MILLISECONDS)) {
        return;
      }
      if (!asked && feed.summaries() >= 1) {
        String q = "What colour is the scene?";
        DemoRecords.ask(bootstrap, CAMERA, q);
        out.println("  (asking " + CAMERA + ": \"" + q + "\")");
        asked = true;
      }
    }
  }

  /**
   * The console on port 8080, or a free port when 8080 is taken (the demo must not fail over a
   * port); its URL, with the demo's fresh token, is printed like {@code streamsight console} does.
   */
  private void startConsole(
      String bootstrap, Path dir, SearchBackend search, SubscriptionsBackend subscriptions)
      throws IOException {
    AccessToken token = AccessToken.loadOrCreate(dir);
    ConsoleConfig config = ConsoleConfig.defaults(bootstrap, dir).withBind(opts.bind(), 8080);
    ConsoleServer console;
    try {
      console = ConsoleServer.start(config, token, search, subscriptions);
    } catch (java.net.BindException e) {
      console = ConsoleServer.start(config.withBind(opts.bind(), 0), token, search, subscriptions);
    }
    running.push(named("console", console::close));
    step("console");
    ConsoleCommand.printUrl(out, console, token);
  }

  /**
   * A Connect worker for alert subscriptions, and how to add one (docs/subscriptions.md); returns
   * its REST address (the console lists the subscriptions from it).
   */
  private URI startSubscriptions(String bootstrap, Path secrets) {
    ConnectWorker worker =
        ConnectWorker.start(
            WorkerSettings.of(bootstrap, secrets)
                .withListener(opts.bind(), 0)
                .withGroup("streamsight-demo-connect"));
    running.push(named("Kafka Connect worker", worker::close));
    String url = worker.restUrl().toString().replaceAll("/$", "");
    step("Kafka Connect worker (alert subscriptions) on " + url);
    out.println(
        "  subscribe to the alerts (webhook or MQTT; see docs/subscriptions.md):\n"
            + "    ./streamsight subscriptions add --connect "
            + url
            + " --secrets-dir "
            + secrets
            + " --id my-hook --webhook https://example.com/hook\n"
            + "    ./streamsight subscriptions add --connect "
            + url
            + " --secrets-dir "
            + secrets
            + " --id my-mqtt --mqtt tcp://127.0.0.1:1883 --topics alerts,summaries");
    return worker.restUrl();
  }

  /**
   * One endpoint for every stage of this process; a taken port only costs the demo its metrics (the
   * demo must not fail over a port).
   */
  private void startMetrics() {
    if (opts.metricsPort() == 0) {
      return;
    }
    registry = new PrometheusRegistry();
    SubscriptionMetrics.register(registry);
    try {
      MetricsEndpoint e = MetricsEndpoint.start(registry, opts.metricsBind(), opts.metricsPort());
      running.push(named("metrics endpoint", e::close));
      step(
          "metrics on "
              + e.url()
              + " (the operator's Flink metrics from port "
              + (opts.metricsPort() + 3)
              + " on)");
    } catch (IOException e) {
      out.println(
          "  (no metrics endpoint: port " + opts.metricsPort() + ": " + e.getMessage() + ")");
    }
  }

  private void start(Stage s) throws Exception {
    s.start();
    running.push(s);
    step(s.name());
  }

  private void step(String what) {
    out.println("  started: " + what);
  }

  private static Stage named(String name, Runnable close) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() {}

      @Override
      public void close() {
        close.run();
      }
    };
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
