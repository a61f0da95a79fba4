package io.streamsight.vlm.operator;

import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.records.FrameRecords;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WatermarkConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.WindowConfig;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.ModelProvider;
import io.streamsight.vlm.operator.io.KafkaOperatorIo;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Operator benchmark, run by {@code vlm-operator/bench-operator.sh} (not a test: prints figures).
 *
 * <ol>
 *   <li>Throughput: the same windows (K frames, one describe + one score each) through the engine
 *       alone in batches of {@code maxBatch}, then through the whole job (Kafka in, windows,
 *       router, async batched inference, exactly-once Kafka out). Reports windows/s and the ratio.
 *   <li>Latency: 16 live cameras at 2 keyframes/s, a rule that fires on every window (cooldown 0);
 *       time from each window's last keyframe capture to its alert being readable (read_committed)
 *       on the topic, p50/p99, next to the model's own time.
 * </ol>
 */
public final class OperatorBenchmark {
  static final int K = 4;
  static final int MAX_BATCH = 8;
  static final int CAMERAS = 16;
  static final Duration WINDOW = Duration.ofSeconds(2);

  public static void main(String[] args) throws Exception {
    // All cameras are busy in both runs: a long idleness keeps a camera that is merely waiting
    // behind backpressure from having its time extrapolated (its later keyframes would turn late).
    int windowsPerCamera = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int latencySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path dir = Files.createTempDirectory("operator-bench");
    ModelProvider model =
        new EngineModelProvider(VlmFixtureModel.write(dir.resolve("model")).toString());
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      int windows = CAMERAS * windowsPerCamera;
      // Rounds alternate engine and operator so that a noisy spell on the machine hits both; the
      // median ratio is the figure to quote.
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double engine = engineAlone(model, windows);
        double operator = operatorThroughput(broker, model, windowsPerCamera, round);
        ratios.add(operator / engine);
        System.out.printf(
            Locale.ROOT,
            "%nTHROUGHPUT round %d windows=%d K=%d batch=%d: engine alone %.2f windows/s,"
                + " operator %.2f windows/s, ratio %.2f%n",
            round,
            windows,
            K,
            MAX_BATCH,
            engine,
            operator,
            operator / engine);
      }
      Collections.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "THROUGHPUT ratio operator/engine over %d rounds: median %.2f (min %.2f, max %.2f)%n",
          rounds,
          ratios.get(rounds / 2),
          ratios.get(0),
          ratios.get(rounds - 1));
      latency(broker, model, latencySeconds);
    }
    System.exit(0);
  }

  static OperatorConfig config(Duration checkpoint) {
    OperatorConfig d = OperatorConfig.defaults();
    InferenceConfig i = d.inference();
    return d.withWindow(new WindowConfig(WINDOW, null, K))
        .withWatermarks(new WatermarkConfig(Duration.ofMillis(200), Duration.ofSeconds(30)))
        .withCheckpointInterval(checkpoint)
        .withInference(
            new InferenceConfig(
                MAX_BATCH,
                Duration.ofMillis(20),
                i.queueCapacity(),
                i.asyncCapacity(),
                i.timeout(),
                i.retries(),
                i.retryDelay(),
                Duration.ofHours(1),
                i.sheddingClock()));
  }

  /** The calls the operator makes per window, made directly in batches of MAX_BATCH. */
  static double engineAlone(ModelProvider provider, int windows) {
    OperatorConfig c = config(Duration.ofSeconds(1));
    List<byte[]> images = new ArrayList<>();
    for (int f = 0; f < K; f++) {
      images.add(FrameRecords.solidJpeg(f % 2 == 0 ? Color.BLUE : Color.RED, 64, 64));
    }
    ImageBudget budget = new ImageBudget(c.maxTilesPerImage());
    List<VlmRequest> all = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      // Each window its own arrays, as windows read from Kafka are: the engine shares decoding
      // and vision encoding only between calls about the same window (its describe and scores).
      List<byte[]> window = images.stream().map(byte[]::clone).toList();
      all.add(
          new VlmRequest(
              Task.DESCRIBE,
              window,
              c.instructionFor("cam"),
              GenerationOptions.greedy(c.summary().maxNewTokens(), budget)));
      all.add(
          new VlmRequest(
              Task.SCORE, window, "Is the scene blue?", GenerationOptions.greedy(1, budget)));
    }
    try (VisionLanguageModel m = provider.open()) {
      // A full untimed pass first: the operator run comes later in the same JVM and gets a
      // warmed-up JIT, so the engine must have one too for the ratio to be fair.
      runAll(m, all);
      long t0 = System.nanoTime();
      runAll(m, all);
      return windows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static void runAll(VisionLanguageModel m, List<VlmRequest> all) {
    for (int i = 0; i < all.size(); i += MAX_BATCH) {
      m.run(all.subList(i, Math.min(all.size(), i + MAX_BATCH)));
    }
  }

  /** Pre-loaded keyframes; windows/s between the 10% and 100% summaries, by broker append time. */
  static double operatorThroughput(
      KafkaBroker broker, ModelProvider model, int windowsPerCamera, int round) throws Exception {
    try (OperatorScenario s = new OperatorScenario(broker, ".bench-throughput-" + round)) {
      s.rule("blue", "Is the scene blue?", Duration.ZERO);
      long frameGap = WINDOW.toMillis() / K;
      for (int w = 0; w <= windowsPerCamera; w++) {
        for (int f = 0; f < K; f++) {
          long t = w * WINDOW.toMillis() + f * frameGap;
          for (int cam = 0; cam < CAMERAS; cam++) {
            s.keyframe(
                ColourKeyframes.keyframe("cam-" + cam, t, f % 2 == 0 ? Color.BLUE : Color.RED));
          }
        }
      }
      int expected = CAMERAS * windowsPerCamera;
      // Exactly-once output becomes visible in bursts, one per checkpoint; the broker's append
      // time says when each summary was actually produced, so the rate does not depend on when
      // the checkpoints happened to commit.
      broker
          .admin()
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, s.topics.summaries()),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
      JobClient job = start(broker, s, model, Duration.ofMillis(500));
      // One long-lived read_committed consumer: re-reading the topic from the start on every poll
      // cost the measuring thread a whole core.
      try (KafkaConsumer<byte[], byte[]> c =
          CommittedRecords.reader(s.broker.bootstrapServers(), s.topics.summaries())) {
        AvroCodec<Summary> codec = AvroCodec.of(Summary.class);
        List<Long> appended = new ArrayList<>();
        long batchSizes = 0;
        while (appended.size() < expected) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
            appended.add(r.timestamp());
            var t = codec.decode(r.topic(), r.value()).getTimings();
            batchSizes += t == null ? 0 : t.getBatchSize();
          }
        }
        System.out.printf(
            Locale.ROOT,
            "operator: mean model batch %.2f requests%n",
            batchSizes / (double) appended.size());
        Collections.sort(appended);
        int from = expected / 10;
        double seconds = (appended.get(expected - 1) - appended.get(from)) / 1000.0;
        return (expected - 1 - from) / seconds;
      } finally {
        job.cancel().get();
      }
    }
  }

  static JobClient start(
      KafkaBroker broker, OperatorScenario s, ModelProvider model, Duration checkpoint)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    String id = "bench" + s.topics.keyframes().substring(s.topics.keyframes().lastIndexOf('.'));
    var io = KafkaOperatorIo.create(broker.bootstrapServers(), id, checkpoint, s.topics);
    return new VlmOperatorJob(config(checkpoint), model, io).start(env, id);
  }

  /** Live cameras; latency from a window's last keyframe capture to its alert on the topic. */
  static void latency(KafkaBroker broker, ModelProvider model, int seconds) throws Exception {
    try (OperatorScenario s = new OperatorScenario(broker, ".bench-latency")) {
      s.rule("blue", "Is the scene blue?", Duration.ZERO);
      Duration checkpoint = Duration.ofMillis(500);
      JobClient job = start(broker, s, model, checkpoint);
      List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
      List<Double> modelMillis = Collections.synchronizedList(new ArrayList<>());
      Thread reader = new Thread(() -> readAlerts(s, latencies, modelMillis));
      reader.setDaemon(true);
      reader.start();
      try {
        Thread.sleep(5000); // job start-up and model load are not part of the latency
        long end = System.currentTimeMillis() + seconds * 1000L;
        long next = System.currentTimeMillis();
        long t0 = next;
        while (next < end) {
          for (int cam = 0; cam < CAMERAS; cam++) {
            // Live camera: capture time is the wall clock (relative to T0 so keyframe() works).
            long capture = System.currentTimeMillis();
            s.keyframe(
                ColourKeyframes.keyframe(
                    "cam-" + cam, capture - ColourKeyframes.T0_MICROS / 1000, Color.BLUE));
          }
          next += 500;
          Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
        }
        Thread.sleep(5000);
        List<Double> l = new ArrayList<>(latencies);
        List<Double> m = new ArrayList<>(modelMillis);
        Collections.sort(l);
        Collections.sort(m);
        System.out.printf(
            Locale.ROOT,
            "LATENCY cameras=%d rate=2 keyframes/s window=%s checkpoint=%s over %d s: alerts=%d"
                + " last-keyframe-capture->alert-readable p50 %.0f ms p99 %.0f ms max %.0f ms; model time per"
                + " window (queue+total) p50 %.0f ms p99 %.0f ms%n",
            CAMERAS,
            WINDOW,
            checkpoint,
            (System.currentTimeMillis() - t0) / 1000,
            l.size(),
            pct(l, 50),
            pct(l, 99),
            l.isEmpty() ? 0 : l.get(l.size() - 1),
            pct(m, 50),
            pct(m, 99));
      } finally {
        job.cancel().get();
      }
    }
  }

  private static void readAlerts(
      OperatorScenario s, List<Double> latencies, List<Double> modelMillis) {
    AvroCodec<Alert> codec = AvroCodec.of(Alert.class);
    try (KafkaConsumer<byte[], byte[]> c =
        CommittedRecords.reader(s.broker.bootstrapServers(), s.topics.alerts())) {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis() * 1000;
          Alert a = codec.decode(r.topic(), r.value());
          long lastCapture =
              a.getEvidence().stream().mapToLong(k -> k.getCaptureTimeMicros()).max().orElse(0);
          latencies.add((now - lastCapture) / 1000.0);
          var t = a.getTimings();
          modelMillis.add(t == null ? 0 : t.getQueueMillis() + t.getTotalMillis());
        }
      }
    }
  }

  private static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
