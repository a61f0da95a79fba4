package io.streamsight.deploy.bench.capacity;

import io.streamsight.deploy.bench.capacity.FrameLoad.EventStart;
import io.streamsight.deploy.bench.capacity.Outcomes.Seen;
import io.streamsight.deploy.cli.StreamsightCli;
import io.streamsight.sampler.SamplerConfig;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.topics.Topics;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One row of the capacity benchmark: a fresh broker, sampler(s) and operator, each a {@code
 * streamsight} process with its shipped defaults, fed N cameras by {@link FrameLoad}; after a
 * warm-up, {@code duration} is measured, then the pipeline drains for a window and a half so the
 * last windows' summaries and alerts are read.
 */
final class CapacityRun {
  /** What one run varies; everything else is the shipped default. */
  record Settings(
      int cameras,
      double fps,
      Duration warmup,
      Duration duration,
      Duration eventPeriod,
      Duration eventLength,
      int samplers,
      Path model,
      Path dir) {}

  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final Duration DRAIN = Duration.ofSeconds(20);
  private static final String RULE = "capacity-red";

  private final Settings s;
  private final PrintStream progress;
  private final Map<String, Long> rssPeak = new ConcurrentHashMap<>();
  private final Map<String, Long> heapPeak = new ConcurrentHashMap<>();

  CapacityRun(Settings settings, PrintStream progress) {
    this.s = settings;
    this.progress = progress;
  }

  Map<String, Object> run() throws Exception {
    List<StageProcess> stages = new ArrayList<>();
    ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
    try {
      int port = freePort();
      StageProcess broker =
          StageProcess.start(
              "broker",
              s.dir(),
              "1g",
              List.of(
                  "broker",
                  "--port",
                  Integer.toString(port),
                  "--data",
                  s.dir().resolve("kafka").toString()));
      stages.add(broker);
      broker.await(broker.watch("Kafka broker ready on"), START_LIMIT);
      String bootstrap = "127.0.0.1:" + port;
      for (int i = 0; i < s.samplers(); i++) {
        StageProcess sampler =
            StageProcess.start(
                "sampler-" + i,
                s.dir(),
                "1g",
                List.of(
                    "sampler",
                    "--bootstrap",
                    bootstrap,
                    "--state-dir",
                    s.dir().resolve("sampler-" + i).toString()));
        stages.add(sampler);
        sampler.await(sampler.watch("sampler \\S+ running"), START_LIMIT);
      }
      StageProcess operator =
          StageProcess.start(
              "operator",
              s.dir(),
              "2g",
              List.of(
                  "operator",
                  "--local",
                  "--bootstrap",
                  bootstrap,
                  "--model",
                  s.model().toString()));
      stages.add(operator);
      operator.await(operator.watch("Loaded model"), START_LIMIT);
      int rc =
          StreamsightCli.run(
              "rules",
              "add",
              "--bootstrap",
              bootstrap,
              "--id",
              RULE,
              "--camera",
              "*",
              "--question",
              SceneFrames.EVENT_QUESTION,
              "--cooldown",
              "5s");
      if (rc != 0) {
        throw new IllegalStateException("rules add exited " + rc);
      }
      sampling.scheduleAtFixedRate(() -> samplePeaks(stages), 0, 1, TimeUnit.SECONDS);
      try (Outcomes outcomes = new Outcomes(bootstrap);
          FrameLoad load =
              new FrameLoad(
                  bootstrap,
                  s.cameras(),
                  s.fps(),
                  s.eventPeriod().toMillis(),
                  s.eventLength().toMillis());
          Admin admin = admin(bootstrap)) {
        load.start();
        progress.printf("  %d cameras: warming up for %s%n", s.cameras(), s.warmup());
        // Fixed pauses are the benchmark's own measurement periods, not synchronisation.
        Thread.sleep(s.warmup().toMillis());
        Map<String, Long> cpu0 = cpu(stages);
        long bytesIn0 = broker.brokerBytes("BytesInPerSec");
        long bytesOut0 = broker.brokerBytes("BytesOutPerSec");
        long published0 = load.published();
        long dropped0 = load.dropped();
        long t0 = System.currentTimeMillis();
        load.record(true);
        progress.printf("  %d cameras: measuring for %s%n", s.cameras(), s.duration());
        Thread.sleep(s.duration().toMillis());
        load.record(false);
        long t1 = System.currentTimeMillis();
        Map<String, Long> cpu1 = cpu(stages);
        long bytesIn = broker.brokerBytes("BytesInPerSec") - bytesIn0;
        long bytesOut = broker.brokerBytes("BytesOutPerSec") - bytesOut0;
        long frames = load.published() - published0;
        long dropped = load.dropped() - dropped0;
        long samplerLag = lag(admin, Topics.FRAMES.name(), SamplerConfig.DEFAULT_APPLICATION_ID);
        long operatorLag = lag(admin, Topics.KEYFRAMES.name(), null);
        Thread.sleep(DRAIN.toMillis());
        load.stop();
        return row(
            outcomes,
            load.events(),
            cpu0,
            cpu1,
            t0,
            t1,
            frames,
            dropped,
            bytesIn,
            bytesOut,
            samplerLag,
            operatorLag,
            load.jpegBytes());
      }
    } finally {
      sampling.shutdownNow();
      for (int i = stages.size() - 1; i >= 0; i--) {
        stages.get(i).close();
      }
    }
  }

  private Map<String, Object> row(
      Outcomes outcomes,
      Map<String, List<EventStart>> events,
      Map<String, Long> cpu0,
      Map<String, Long> cpu1,
      long t0,
      long t1,
      long frames,
      long dropped,
      long bytesIn,
      long bytesOut,
      long samplerLag,
      long operatorLag,
      int jpegBytes) {
    List<Double> alertMs = new ArrayList<>();
    List<Double> modelMs = new ArrayList<>();
    int missed = 0;
    int eventCount = 0;
    List<String> missedEvents = new ArrayList<>();
    Map<String, List<Seen<Alert>>> byCamera = new LinkedHashMap<>();
    for (Seen<Alert> a : outcomes.alerts()) {
      byCamera.computeIfAbsent(a.record().getCameraId(), k -> new ArrayList<>()).add(a);
    }
    for (List<EventStart> list : events.values()) {
      for (EventStart e : list) {
        eventCount++;
        Seen<Alert> first =
            byCamera.getOrDefault(e.camera(), List.of()).stream()
                .filter(a -> a.record().getWindowEndMicros() > e.captureMicros())
                .filter(a -> a.readMillis() * 1000 >= e.captureMicros())
                .min(Comparator.comparingLong(Seen::readMillis))
                .orElse(null);
        if (first == null) {
          missed++;
          missedEvents.add(e.camera() + "@" + e.captureMicros() / 1000);
        } else {
          alertMs.add((double) (first.readMillis() - e.captureMicros() / 1000));
          if (first.record().getTimings() != null) {
            modelMs.add(first.record().getTimings().getTotalMillis());
          }
        }
      }
    }
    List<Double> summaryMs = new ArrayList<>();
    long shed = 0;
    for (Seen<Summary> sm : outcomes.summaries()) {
      long end = sm.record().getWindowEndMicros() / 1000;
      shed += sm.record().getWindowsShedBefore();
      if (end >= t0 && end <= t1) {
        summaryMs.add((double) (sm.readMillis() - end));
      }
    }
    double seconds = (t1 - t0) / 1000.0;
    Map<String, Object> cpuPerFrame = new LinkedHashMap<>();
    Map<String, Object> cores = new LinkedHashMap<>();
    double totalCores = 0;
    for (String stage : cpu1.keySet()) {
      long ms = cpu1.get(stage) - cpu0.get(stage);
      cpuPerFrame.put(stage, round(frames == 0 ? 0 : (double) ms / frames, 4));
      double c = ms / 1000.0 / seconds;
      totalCores += c;
      cores.put(stage, round(c, 2));
    }
    double alertP99 = percentile(alertMs, 99);
    double modelP99 = percentile(modelMs, 99);
    boolean within = missed == 0 && shed == 0 && dropped == 0 && alertP99 <= 2000 + modelP99;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cameras", s.cameras());
    r.put("fps", s.fps());
    r.put("samplers", s.samplers());
    r.put("seconds", round(seconds, 1));
    r.put("framesPublished", frames);
    r.put("framesDropped", dropped);
    r.put("jpegBytes", jpegBytes);
    r.put("events", eventCount);
    r.put("missedEvents", missed);
    if (!missedEvents.isEmpty()) {
      // camera@capture-ms of each, first few: to look up in the stages' logs and on vlm.alerts
      r.put("missed", missedEvents.subList(0, Math.min(5, missedEvents.size())));
      r.put(
          "alertsSeen",
          outcomes.alerts().stream()
              .limit(20)
              .map(
                  a ->
                      a.record().getCameraId()
                          + "@"
                          + a.record().getWindowStartMicros() / 1000
                          + "-"
                          + a.record().getWindowEndMicros() / 1000
                          + " read "
                          + a.readMillis())
              .toList());
    }
    r.put("alertP50Ms", round(percentile(alertMs, 50), 0));
    r.put("alertP99Ms", round(alertP99, 0));
    r.put("summaries", summaryMs.size());
    r.put("summaryP99Ms", round(percentile(summaryMs, 99), 0));
    r.put("modelMs", round(modelP99, 1));
    r.put("shed", shed);
    r.put("cpuMsPerFrame", cpuPerFrame);
    r.put("cores", cores);
    r.put("rssMiB", mib(rssPeak));
    r.put("heapMiB", mib(heapPeak));
    r.put("brokerMiBIn", round(bytesIn / 1048576.0, 1));
    r.put("brokerMiBOut", round(bytesOut / 1048576.0, 1));
    r.put("samplerLag", samplerLag);
    r.put("operatorLag", operatorLag);
    r.put("withinBound", within);
    r.put(
        "saturated",
        within
            ? "none"
            : saturated(dropped, samplerLag, operatorLag, shed, missed, totalCores, cores));
    return r;
  }

  /**
   * Which stage broke the bound, from the evidence in order of cause: frames the publisher had to
   * drop (the broker or the machine could not take them), the sampler falling behind its input, the
   * operator falling behind (shed windows, unread keyframes, late or missing alerts), and the
   * machine's two cores being used up.
   */
  private String saturated(
      long dropped,
      long samplerLag,
      long operatorLag,
      long shed,
      int missed,
      double totalCores,
      Map<String, Object> cores) {
    long framesPerSecond = Math.round(s.cameras() * s.fps());
    List<String> why = new ArrayList<>();
    if (dropped > 0) {
      why.add("ingest->broker: " + dropped + " frames dropped by the publisher's backpressure");
    }
    if (samplerLag > 2 * framesPerSecond) {
      why.add(
          "sampler: "
              + samplerLag
              + " frames behind ("
              + (samplerLag / Math.max(1, framesPerSecond))
              + " s)");
    }
    if (shed > 0 || operatorLag > s.cameras()) {
      why.add("operator: " + shed + " windows shed, " + operatorLag + " keyframes unread");
    }
    if (missed > 0) {
      why.add("operator: " + missed + " events without an alert");
    }
    if (totalCores > 1.8) {
      why.add(String.format("cpu: %.2f of 2 cores in use %s", totalCores, cores));
    }
    return why.isEmpty() ? "operator: alert latency over the bound" : String.join("; ", why);
  }

  private void samplePeaks(List<StageProcess> stages) {
    for (StageProcess st : stages) {
      rssPeak.merge(st.name(), st.rssBytes(), Math::max);
      heapPeak.merge(st.name(), st.heapUsedBytes(), Math::max);
    }
  }

  private static Map<String, Long> cpu(List<StageProcess> stages) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (StageProcess st : stages) {
      m.put(st.name(), st.cpuMillis());
    }
    m.put(
        "load", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis());
    return m;
  }

  /**
   * Records of {@code topic} not yet committed by {@code group}, or when {@code group} is null by
   * the consumer group that reads it (the operator's Kafka source commits on checkpoints).
   */
  private static long lag(Admin admin, String topic, String group) throws Exception {
    if (group == null) {
      group =
          admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
              .map(g -> g.groupId())
              .filter(g -> g.endsWith(topic))
              .findFirst()
              .orElse(null);
      if (group == null) {
        return -1;
      }
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> ask = new LinkedHashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    long lag = 0;
    for (var e : admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static Map<String, Object> mib(Map<String, Long> bytes) {
    Map<String, Object> m = new LinkedHashMap<>();
    bytes.forEach((k, v) -> m.put(k, v < 0 ? null : (Object) Math.round(v / 1048576.0)));
    return m;
  }

  private static double round(double v, int digits) {
    if (Double.isNaN(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
