package io.streamsight.deploy.bench;

import io.streamsight.deploy.Main;
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
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.OperatorLauncher;
import io.streamsight.vlm.operator.OperatorLauncher.Launch;
import io.streamsight.vlm.operator.OperatorLauncher.Target;
import io.streamsight.vlm.operator.inference.EngineOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code streamsight bench ask} (issue 28 #3): how long {@code streamsight ask} takes as a user
 * sees it, on a live one-camera pipeline in this JVM (embedded broker, sampler, operator on Flink
 * local with the fixture model, one 5 fps camera ingested in real time). Each run starts the real
 * CLI in a child JVM ({@code java -cp <this classpath> io.streamsight.deploy.Main ask ...}, what
 * the launcher execs, without the launcher's own ~20 ms staleness check) and times command start →
 * answer printed; the question's {@code createdMicros}, read back from {@code vlm.queries}, splits
 * that into start-up (JVM, Kafka clients) and the pipeline's part. Beside it, the same question
 * asked from this JVM: published → answer readable, the in-process figure of {@code bench-ask.sh}.
 */
public final class AskCliBenchmark {
  private static final String CAMERA = "cam-00";
  private static final String QUESTION = "What colour is the scene?";
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final int runs;
  private final int warmup;
  private final PrintStream out;

  public AskCliBenchmark(int runs, int warmup, PrintStream out) {
    this.runs = runs;
    this.warmup = warmup;
    this.out = out;
  }

  public int run() throws Exception {
    Path dir = Files.createTempDirectory("ask-cli-bench");
    Path model = VlmFixtureModel.write(dir.resolve("model"));
    int videoSeconds = 150 + runs * 12;
    Path video = video(dir.resolve("v.mp4"), videoSeconds);
    double load = load();
    out.printf(
        Locale.ROOT,
        "ASK-CLI %s: 1 camera at 5 fps, %d warm-up + %d runs of the real CLI and %d in-process"
            + " questions; load average %.2f on %d cores%n",
        Instant.now(),
        warmup,
        runs,
        runs,
        load,
        Runtime.getRuntime().availableProcessors());
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      String bootstrap = broker.bootstrapServers();
      new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
      JobClient job =
          OperatorLauncher.start(
              new Launch(
                  bootstrap,
                  model,
                  null,
                  Target.LOCAL,
                  null,
                  "ask-cli-bench",
                  EngineOptions.DEFAULT));
      SamplerApp sampler =
          new SamplerApp(bootstrap, dir.resolve("sampler"), SamplerConfig.standard());
      sampler.start();
      KafkaPublisher publisher = KafkaPublisher.standard(bootstrap);
      IngestService ingest =
          new IngestService(
              List.of(
                  CameraConfig.of(
                          CAMERA,
                          video.toString(),
                          PipelineSettings.defaults().withFps(5).withMaxEdge(128))
                      .withRealtime(true)),
              publisher::forCamera,
              Backoff.defaults());
      ingest.start();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
          KafkaConsumer<byte[], byte[]> answers = atEnd(bootstrap, Topics.ANSWERS.name());
          KafkaConsumer<byte[], byte[]> queries = atEnd(bootstrap, Topics.QUERIES.name())) {
        for (int i = 0; i < warmup; i++) {
          if (inProcess(producer, answers) < 0) {
            out.println("ASK-CLI warm-up question " + i + " got no answer within " + WAIT);
            return 1;
          }
        }
        List<Double> local = new ArrayList<>();
        List<Double> cli = new ArrayList<>();
        List<Double> startup = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          local.add(inProcess(producer, answers));
          double[] r = viaCli(bootstrap, queries);
          cli.add(r[0]);
          startup.add(r[1]);
        }
        line("in-process: question published -> answer readable", local);
        line("real CLI (child JVM): command start -> answer printed", cli);
        line("  of which command start -> question stamped (JVM, clients)", startup);
        out.printf(Locale.ROOT, "ASK-CLI load average at the end: %.2f%n", load());
      } finally {
        ingest.stop();
        job.cancel().get(30, TimeUnit.SECONDS);
        sampler.close(Duration.ofSeconds(10));
        publisher.close();
      }
    }
    return 0;
  }

  /** One question from this JVM: ms from published to answer readable, or -1 without one. */
  private double inProcess(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> c)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    Query q =
        Query.newBuilder()
            .setQueryId(UUID.randomUUID().toString())
            .setCameraId(CAMERA)
            .setQuestion(QUESTION)
            .setCreatedMicros(now)
            .setDeadlineMicros(now + 60_000_000L)
            .build();
    AskCommand.publish(producer, q);
    AvroCodec<Answer> codec = AvroCodec.of(Answer.class);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
        if (codec.decode(r.topic(), r.value()).getQueryId().equals(q.getQueryId())) {
          return System.currentTimeMillis() - now / 1000.0;
        }
      }
    }
    return -1;
  }

  /** One run of the real CLI: {ms to the answer line, ms to the question's stamp}. */
  private double[] viaCli(String bootstrap, KafkaConsumer<byte[], byte[]> queries)
      throws Exception {
    Path errors = Files.createTempFile("ask-cli-bench", ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "ask",
                "--bootstrap",
                bootstrap,
                "--camera",
                CAMERA,
                QUESTION)
            .redirectError(errors.toFile());
    pb.environment().putIfAbsent("DJL_OFFLINE", "true");
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    Process p = pb.start();
    String answer;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      answer = r.readLine();
      double took = (System.nanoTime() - start) / 1e6;
      String status = r.readLine();
      if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      double stamped = stampedAfter(queries, startMillis);
      out.printf(
          Locale.ROOT,
          "ASK-CLI run: %.0f ms (stamped %.0f ms after start), exit %d: %s %s%n",
          took,
          stamped,
          p.exitValue(),
          answer,
          status);
      if (p.exitValue() != 0) {
        List<String> err = Files.readAllLines(errors);
        out.println("ASK-CLI   its stderr ends: " + (err.isEmpty() ? "" : err.get(err.size() - 1)));
      }
      Files.deleteIfExists(errors);
      return new double[] {took, stamped};
    }
  }

  /** ms from {@code startMillis} to the createdMicros of the newest question on vlm.queries. */
  private static double stampedAfter(KafkaConsumer<byte[], byte[]> queries, long startMillis) {
    AvroCodec<Query> codec = AvroCodec.of(Query.class);
    long created = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (created < 0 && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : queries.poll(Duration.ofMillis(100))) {
        long c = codec.decode(r.topic(), r.value()).getCreatedMicros();
        if (c >= startMillis * 1000) { // not the in-process question asked before the run
          created = Math.max(created, c);
        }
      }
    }
    return created < 0 ? Double.NaN : created / 1000.0 - startMillis;
  }

  private void line(String what, List<Double> values) {
    List<Double> v = new ArrayList<>(values.stream().filter(x -> x >= 0).toList());
    Collections.sort(v);
    out.printf(
        Locale.ROOT,
        "ASK-CLI %-62s n=%d p50 %.0f ms p99 %.0f ms max %.0f ms%n",
        what,
        v.size(),
        pct(v, 50),
        pct(v, 99),
        v.isEmpty() ? Double.NaN : v.get(v.size() - 1));
  }

  private static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static Path video(Path path, int seconds) throws Exception {
    SyntheticVideo.Builder b = SyntheticVideo.builder(160, 120, 5);
    int[][] colours = {{255, 0, 0}, {0, 0, 255}, {0, 160, 0}, {255, 255, 0}};
    for (int t = 0, i = 0; t < seconds; t += 20, i++) {
      int[] c = colours[i % colours.length];
      b.add(Segment.solid(c[0], c[1], c[2], Math.min(20, seconds - t) * 5));
    }
    return b.build().write(path).path();
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A read_committed reader of every partition of {@code topic}, from its end. */
  private static KafkaConsumer<byte[], byte[]> atEnd(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts =
        c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .toList();
    c.assign(parts);
    c.seekToEnd(parts);
    parts.forEach(c::position);
    return c;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
