package io.streamsight.deploy.bench;

import io.streamsight.deploy.cli.StreamsightCli;
import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.log.CapturedLog;
import io.streamsight.vlm.operator.config.OperatorConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One streaming-pipeline run of {@link SummarizeBenchmark}, in a JVM of its own: an embedded broker
 * with the topics (what {@code streamsight broker} starts), the {@code sampler} and {@code operator
 * --local} commands as shipped (default config, the benchmark's model), then {@code streamsight
 * ingest} of the video file as fast as it decodes (no {@code --realtime}), all in this process.
 * Measured: from ingest start until the summary of the last window that has a keyframe is readable
 * by a read_committed consumer (what a downstream reader sees), and start-up before it.
 *
 * <p>Arguments: DIR (broker and sampler state), VIDEO, MODEL_DIR, and the wall time (epoch ms) the
 * parent forked this JVM at. Prints one {@link #RESULT} line; then halts without the commands'
 * shutdown hooks (the sampler's waits up to 30 s to close; nothing here needs a clean stop).
 */
public final class PipelineBenchmarkRun {
  static final String RESULT = "PIPELINE-RESULT";
  static final String CAMERA = "bench-cam";
  private static final Duration START_LIMIT = Duration.ofMinutes(5);
  private static final Duration RUN_LIMIT = Duration.ofMinutes(20);

  private PipelineBenchmarkRun() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String video = args[1];
    String model = args[2];
    long forkedMillis = Long.parseLong(args[3]);
    CapturedLog log = CapturedLog.start();
    KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")));
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    daemon("sampler", "--bootstrap", bootstrap, "--state-dir", dir.resolve("sampler").toString());
    daemon("operator", "--local", "--bootstrap", bootstrap, "--model", model);
    // Started = the sampler's stream threads run and the operator's TaskManager has loaded the
    // model (InferenceServices logs it when its first user opens).
    try {
      Await.until(
          "the sampler running and the operator's model loaded",
          START_LIMIT,
          () -> {
            String text = log.text();
            return text.contains("sampler " + SamplerConfig.DEFAULT_APPLICATION_ID + " running")
                && text.contains("Loaded model");
          });
    } catch (AssertionError e) {
      System.out.println(e.getMessage() + "; logged so far:\n" + log.text());
      System.out.println(RESULT + " status=start-timeout");
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
    long startedMillis = System.currentTimeMillis();
    double cpuStarted = cpuSeconds();

    ConcurrentMap<Long, Long> summaryReadableMillis = new ConcurrentHashMap<>();
    ConcurrentMap<Long, Summary> summaries = new ConcurrentHashMap<>();
    Thread reader =
        new Thread(() -> readSummaries(bootstrap, true, summaries, summaryReadableMillis));
    reader.setDaemon(true);
    reader.start();
    // The same records as soon as the operator writes them, before the checkpoint commits them
    // (read_uncommitted): splits the wait for the exactly-once commit from the processing.
    ConcurrentMap<Long, Long> summaryWrittenMillis = new ConcurrentHashMap<>();
    Thread early =
        new Thread(
            () -> readSummaries(bootstrap, false, new ConcurrentHashMap<>(), summaryWrittenMillis));
    early.setDaemon(true);
    early.start();

    long ingestStartMillis = System.currentTimeMillis();
    int ingest =
        StreamsightCli.run(
            "ingest", "--bootstrap", bootstrap, "--camera", CAMERA, "--source", video);
    long ingestEndMillis = System.currentTimeMillis();
    if (ingest != 0) {
      throw new IllegalStateException("ingest exited " + ingest);
    }
    try (Admin admin = broker.admin()) {
      Await.until(
          "the sampler through every frame",
          RUN_LIMIT,
          () ->
              CommittedRecords.caughtUp(
                  admin, SamplerConfig.DEFAULT_APPLICATION_ID, Topics.FRAMES.name()));
    }
    long windowMicros = OperatorConfig.defaults().window().size().toNanos() / 1000;
    List<Keyframe> keyframes =
        CommittedRecords.values(bootstrap, Topics.KEYFRAMES).stream()
            .filter(k -> k.getCameraId().equals(CAMERA) && !Progress.is(k))
            .toList();
    // Windows lie on the epoch's grid; only windows with a keyframe are described.
    TreeSet<Long> windows = new TreeSet<>();
    keyframes.forEach(
        k -> windows.add(Math.floorDiv(k.getCaptureTimeMicros(), windowMicros) * windowMicros));
    long last = windows.last();
    String status = "ok";
    try {
      Await.until("the summary of the last window", RUN_LIMIT, () -> summaries.containsKey(last));
    } catch (AssertionError timedOut) {
      status = "timeout";
    }
    long lastReadable = summaryReadableMillis.getOrDefault(last, System.currentTimeMillis());
    double cpuEnd = cpuSeconds();
    long deadLettered = CommittedRecords.values(bootstrap, Topics.dlq("vlm-operator")).size();
    int shed = summaries.values().stream().mapToInt(Summary::getWindowsShedBefore).sum();
    Map<String, Object> r = new TreeMap<>();
    r.put("status", status);
    r.put("startupS", seconds(startedMillis - forkedMillis));
    r.put("runS", seconds(lastReadable - ingestStartMillis));
    r.put(
        "lastWrittenS",
        seconds(summaryWrittenMillis.getOrDefault(last, lastReadable) - ingestStartMillis));
    r.put("totalS", seconds(lastReadable - forkedMillis));
    r.put("ingestS", seconds(ingestEndMillis - ingestStartMillis));
    r.put("cpuS", String.format(java.util.Locale.ROOT, "%.2f", cpuEnd));
    r.put("cpuRunS", String.format(java.util.Locale.ROOT, "%.2f", cpuEnd - cpuStarted));
    r.put("keyframes", keyframes.size());
    r.put("windows", windows.size());
    r.put("summaries", summaries.size());
    r.put("missing", windows.stream().filter(w -> !summaries.containsKey(w)).count());
    r.put("shed", shed);
    r.put("deadLettered", deadLettered);
    r.put("lastWindowLagS", seconds(lastReadable - (last + windowMicros) / 1000));
    StringBuilder line = new StringBuilder(RESULT);
    r.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
    summaries.values().stream()
        .sorted(java.util.Comparator.comparingLong(Summary::getWindowStartMicros))
        .forEach(
            s ->
                System.out.printf(
                    "summary of window %d..%d s after ingest start (%d shed before): written"
                        + " %d ms, readable %d ms after ingest start; %s%n",
                    (s.getWindowStartMicros() / 1000 - ingestStartMillis) / 1000,
                    (s.getWindowEndMicros() / 1000 - ingestStartMillis) / 1000,
                    s.getWindowsShedBefore(),
                    summaryWrittenMillis.getOrDefault(s.getWindowStartMicros(), 0L)
                        - ingestStartMillis,
                    summaryReadableMillis.get(s.getWindowStartMicros()) - ingestStartMillis,
                    s.getTimings()));
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  /** Runs a CLI command until the JVM ends (the sampler and operator run until stopped). */
  private static void daemon(String... args) {
    Thread t = new Thread(() -> StreamsightCli.run(args), args[0]);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Every summary of the camera, with when it became readable: committed ({@code read_committed},
   * what a downstream reader sees) or merely written ({@code read_uncommitted}).
   */
  private static void readSummaries(
      String bootstrap,
      boolean committed,
      Map<Long, Summary> summaries,
      Map<Long, Long> readableMillis) {
    AvroCodec<Summary> codec = AvroCodec.of(Summary.class);
    try (KafkaConsumer<byte[], byte[]> c =
        committed
            ? CommittedRecords.reader(bootstrap, Topics.SUMMARIES.name())
            : uncommittedReader(bootstrap, Topics.SUMMARIES.name())) {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          Summary s = codec.decode(r.topic(), r.value());
          if (s.getCameraId().equals(CAMERA)) {
            readableMillis.putIfAbsent(s.getWindowStartMicros(), now);
            summaries.putIfAbsent(s.getWindowStartMicros(), s);
          }
        }
      }
    }
  }

  /** A read_uncommitted consumer of every partition of {@code topic}, from the beginning. */
  private static KafkaConsumer<byte[], byte[]> uncommittedReader(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts =
        c.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.2f", millis / 1000.0);
  }
}
