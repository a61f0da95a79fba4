package io.streamsight.deploy.pipeline;

import io.streamsight.deploy.cli.AskCommand;
import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.embedded.video.Segment;
import io.streamsight.embedded.video.SyntheticVideo;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.sampler.SamplerApp;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.KeyframeReason;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.inference.EngineOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Live-question benchmark (issue 18), run by {@code deploy/cli/bench-ask.sh} (not a test: prints
 * figures). The whole pipeline in one JVM with the shipped defaults: an embedded broker, {@value
 * #CAMERAS} cameras ingesting generated videos at their own speed (5 fps, 160×120, mostly static: a
 * solid colour that changes every 20 to 35 s), the sampler app with its question watch, and the
 * operator as {@code streamsight operator} starts it locally (MiniCluster, default parallelism)
 * with the fixture model. A question about every {@code intervalMillis} (0.75 to 1.25 of it) to a
 * random camera, for {@code seconds}.
 *
 * <p>Measures, per question: published (its {@code createdMicros}, taken just before the send, as
 * {@code streamsight ask} does) → answer readable by a {@code read_committed} consumer; the
 * answer's frame age (question time minus its newest frame's capture time); its status; and the
 * model's own time from the answer's {@code timings} (queue and run). Where the time goes, for
 * answers whose newest frame is a keyframe seen on {@code cameras.keyframes}: question → that frame
 * captured, frame captured (or question, if later) → keyframe readable (ingest, sampler and its 200
 * ms exactly-once commit), keyframe readable → answer readable (operator).
 */
public final class AskBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(120);
  static final int CAMERAS = 16;
  static final double FPS = 5;
  static final String QUESTION = "What colour is the scene?";
  private static final int[][] COLOURS = {
    {255, 0, 0}, {0, 0, 255}, {0, 160, 0}, {255, 255, 0}, {128, 128, 128}
  };

  /** A question as published. */
  record Asked(String camera, long askedMicros) {}

  /** What one answer cost and said. */
  record Measured(
      String queryId,
      double latencyMillis,
      AnswerStatus status,
      Double frameAgeMillis,
      double queueMillis,
      double modelMillis,
      KeyframeReason newestReason,
      Double toCaptureMillis,
      Double samplerMillis,
      Double operatorMillis) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 90;
    long intervalMillis = args.length > 1 ? Long.parseLong(args[1]) : 2000;
    Path dir = Files.createTempDirectory("ask-bench");
    Path model = VlmFixtureModel.write(dir.resolve("model"));
    // Start-up (job, model, first keyframes) and warm-up come before the measured part: the videos
    // must outlast them, else the last questions find ended streams (OFFLINE).
    int videoSeconds = seconds + 90;
    List<Path> videos = new ArrayList<>();
    for (int v = 0; v < 4; v++) {
      videos.add(video(dir.resolve("v" + v + ".mp4"), v, videoSeconds));
    }
    OperatorConfig shipped = OperatorConfig.defaults();
    double loadAtStart = loadAverage();
    System.out.printf(
        Locale.ROOT,
        "ASK BENCH %s: %d cameras at %.0f fps, a question every %d ms for %d s; shipped defaults"
            + " (ask.freshness %s, ask.freshFrameWait %s, sampler questions.maxFrameAge %s)%n",
        Instant.now(),
        CAMERAS,
        FPS,
        intervalMillis,
        seconds,
        shipped.ask().freshness(),
        shipped.ask().freshFrameWait(),
        SamplerConfig.standard().questions().maxFrameAge());

    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
      JobClient job =
          OperatorLauncher.start(
              new Launch(
                  bootstrap, model, null, Target.LOCAL, null, "ask-bench", EngineOptions.DEFAULT));
      SamplerApp sampler =
          PipelineStages.startSampler(bootstrap, dir.resolve("sampler"), SamplerConfig.standard());
      KafkaPublisher publisher = KafkaPublisher.standard(bootstrap);
      List<CameraConfig> cameras = new ArrayList<>();
      for (int c = 0; c < CAMERAS; c++) {
        cameras.add(
            CameraConfig.of(
                    camera(c),
                    videos.get(c % videos.size()).toString(),
                    PipelineSettings.defaults().withFps(FPS).withMaxEdge(128))
                .withRealtime(true));
      }
      IngestService ingest = new IngestService(cameras, publisher::forCamera, Backoff.defaults());
      ingest.start();

      Map<String, Asked> asked = new ConcurrentHashMap<>();
      Map<String, Long> keyframeSeen = new ConcurrentHashMap<>();
      Map<String, KeyframeReason> keyframeReason = new ConcurrentHashMap<>();
      Map<String, Measured> measured = new ConcurrentHashMap<>();
      AtomicBoolean reading = new AtomicBoolean(true);
      List<Thread> readers =
          List.of(
              daemon(
                  "keyframes",
                  () -> readKeyframes(bootstrap, keyframeSeen, keyframeReason, reading)),
              daemon(
                  "answers",
                  () ->
                      readAnswers(
                          bootstrap, asked, keyframeSeen, keyframeReason, measured, reading)));

      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        Await.until(
            "a keyframe of every camera",
            WAIT,
            () ->
                keyframeSeen.keySet().stream().map(k -> k.split("@")[0]).distinct().count()
                    >= CAMERAS);
        // Warm-up: the question path's first calls (classes, JIT, the model's first runs).
        Random random = new Random(18);
        for (int i = 0; i < 5; i++) {
          String id = ask(producer, "warm-" + i, camera(random.nextInt(CAMERAS)), asked);
          Await.until("warm-up answer " + i, WAIT, () -> measured.containsKey(id));
        }
        long start = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        // Gaps of 0.75 to 1.25 intervals: a fixed 2 s gap is a multiple of the 200 ms frame
        // period, so every question would meet the cameras' frames at the same phase.
        long due = start;
        for (int i = 0; due < start + seconds * 1000L; i++) {
          Thread.sleep(Math.max(0, due - System.currentTimeMillis())); // pacing, not sync
          ids.add(ask(producer, "q-" + i, camera(random.nextInt(CAMERAS)), asked));
          due += (long) (intervalMillis * (0.75 + 0.5 * random.nextDouble()));
        }
        Await.until(
            "every answer",
            Duration.ofSeconds(60),
            () -> ids.stream().allMatch(measured::containsKey));
        report(ids.stream().map(measured::get).filter(m -> m != null).toList(), ids.size());
        System.out.printf(
            Locale.ROOT,
            "ASK load average at the end: %.2f (at the start: %.2f)%n",
            loadAverage(),
            loadAtStart);
      } finally {
        reading.set(false);
        for (Thread t : readers) {
          t.join(5_000);
        }
        ingest.stop();
        job.cancel().get();
        sampler.close(Duration.ofSeconds(10));
        publisher.close();
      }
    }
    System.exit(0);
  }

  private static String camera(int c) {
    return String.format(Locale.ROOT, "cam-%02d", c);
  }

  /** Mostly static: solid colours, each held 20 to 35 s (per variant), for {@code seconds}. */
  private static Path video(Path path, int variant, int seconds) throws Exception {
    SyntheticVideo.Builder b = SyntheticVideo.builder(160, 120, FPS);
    int scene = 20 + 5 * variant;
    for (int t = 0, i = variant; t < seconds; t += scene, i++) {
      int[] c = COLOURS[i % COLOURS.length];
      b.add(Segment.solid(c[0], c[1], c[2], (int) (Math.min(scene, seconds - t) * FPS)));
    }
    return b.build().write(path).path();
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    // As streamsight ask publishes a question.
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String ask(
      KafkaProducer<byte[], byte[]> producer, String id, String camera, Map<String, Asked> asked)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    Query q =
        Query.newBuilder()
            .setQueryId(id)
            .setCameraId(camera)
            .setQuestion(QUESTION)
            .setCreatedMicros(now)
            .setDeadlineMicros(now + 60_000_000L)
            .build();
    asked.put(id, new Asked(camera, now));
    AskCommand.publish(producer, q); // as `streamsight ask` publishes it
    return id;
  }

  /** When each keyframe (camera@capture) became readable (read_committed), and its reason. */
  private static void readKeyframes(
      String bootstrap,
      Map<String, Long> seen,
      Map<String, KeyframeReason> reasons,
      AtomicBoolean reading) {
    AvroCodec<Keyframe> codec = AvroCodec.of(Keyframe.class);
    try (KafkaConsumer<byte[], byte[]> c =
        CommittedRecords.reader(bootstrap, Topics.KEYFRAMES.name())) {
      while (reading.get()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          Keyframe k = codec.decode(r.topic(), r.value());
          if (!Progress.is(k)) {
            String key = k.getCameraId() + "@" + k.getCaptureTimeMicros();
            reasons.put(key, k.getReason());
            seen.putIfAbsent(key, now);
          }
        }
      }
    }
  }

  private static void readAnswers(
      String bootstrap,
      Map<String, Asked> asked,
      Map<String, Long> keyframeSeen,
      Map<String, KeyframeReason> reasons,
      Map<String, Measured> measured,
      AtomicBoolean reading) {
    AvroCodec<Answer> codec = AvroCodec.of(Answer.class);
    try (KafkaConsumer<byte[], byte[]> c =
        CommittedRecords.reader(bootstrap, Topics.ANSWERS.name())) {
      while (reading.get()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          Answer a = codec.decode(r.topic(), r.value());
          Asked q = asked.get(a.getQueryId());
          if (q == null || measured.containsKey(a.getQueryId())) {
            continue; // not ours, or a repeat (answers are at-least-once)
          }
          double latency = now - q.askedMicros() / 1000.0;
          InferenceTimings t = a.getTimings();
          KeyframeRef newest =
              a.getKeyframes().stream()
                  .max((x, y) -> Long.compare(x.getCaptureTimeMicros(), y.getCaptureTimeMicros()))
                  .orElse(null);
          KeyframeReason reason = null;
          Double toCapture = null;
          Double sampler = null;
          Double operator = null;
          if (newest != null) {
            String key = a.getCameraId() + "@" + newest.getCaptureTimeMicros();
            reason = reasons.get(key);
            Long seen = keyframeSeen.get(key);
            toCapture = (newest.getCaptureTimeMicros() - q.askedMicros()) / 1000.0;
            if (seen != null) {
              long from = Math.max(newest.getCaptureTimeMicros(), q.askedMicros());
              sampler = Math.max(0, seen - from / 1000.0);
              operator = now - Math.max(seen, q.askedMicros() / 1000.0);
            }
          }
          measured.put(
              a.getQueryId(),
              new Measured(
                  a.getQueryId(),
                  latency,
                  a.getStatus(),
                  a.getFrameAgeMicros() == null ? null : a.getFrameAgeMicros() / 1000.0,
                  t == null ? 0 : t.getQueueMillis(),
                  t == null ? 0 : t.getTotalMillis(),
                  reason,
                  toCapture,
                  sampler,
                  operator));
        }
      }
    }
  }

  private static void report(List<Measured> all, int asked) {
    Map<String, Integer> statuses = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    for (Measured m : all) {
      statuses.merge(String.valueOf(m.status()), 1, Integer::sum);
      reasons.merge(String.valueOf(m.newestReason()), 1, Integer::sum);
    }
    System.out.printf(
        Locale.ROOT,
        "ASK RESULT questions=%d answered=%d statuses=%s newest-frame-reasons=%s%n",
        asked,
        all.size(),
        statuses,
        reasons);
    line("question published -> answer readable (read_committed)", all, Measured::latencyMillis);
    line("answer's frame age (question - newest frame captured)", all, Measured::frameAgeMillis);
    line("model's own time (timings.totalMillis)", all, Measured::modelMillis);
    line("inference queue (timings.queueMillis)", all, Measured::queueMillis);
    line("  question -> newest frame captured", all, Measured::toCaptureMillis);
    line("  frame captured (or asked) -> keyframe readable", all, Measured::samplerMillis);
    line("  keyframe readable (or asked) -> answer readable", all, Measured::operatorMillis);
    List<Double> total = values(all, m -> m.latencyMillis() - m.modelMillis());
    System.out.printf(
        Locale.ROOT,
        "ASK latency minus the model's own time: p50 %.0f ms p99 %.0f ms (target p99 <= 1500"
            + " ms)%n",
        pct(total, 50),
        pct(total, 99));
  }

  private static void line(String what, List<Measured> all, Function<Measured, Double> f) {
    List<Double> v = values(all, f);
    System.out.printf(
        Locale.ROOT,
        "ASK %-52s n=%d p50 %.0f ms p99 %.0f ms max %.0f ms%n",
        what,
        v.size(),
        pct(v, 50),
        pct(v, 99),
        v.isEmpty() ? Double.NaN : v.get(v.size() - 1));
  }

  private static List<Double> values(List<Measured> all, Function<Measured, Double> f) {
    List<Double> v = new ArrayList<>();
    for (Measured m : all) {
      Double x = f.apply(m); // null: no such figure (no frame, or its keyframe was not seen)
      if (x != null) {
        v.add(x);
      }
    }
    Collections.sort(v);
    return v;
  }

  private static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, "ask-bench-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The system load average over the last minute (the machine is shared: say how busy). */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
