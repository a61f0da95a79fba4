package io.streamsight.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.CameraState;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import io.streamsight.testkit.records.FrameRecords;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's benchmark (docs/benchmarks.md): the time from a summary being readable on {@code
 * vlm.summaries} (its transaction committed) to it being in the live page of a headless Chromium,
 * at 20 summaries/s over 50 cameras (plus 10 keyframes/s, so tiles change images), and the
 * console's memory with 50 cameras. The console runs in a process of its own. Prints the figures;
 * asserts nothing about speed. Runs only with {@code -Dconsole.bench=true}:
 *
 * <pre>
 * mvn -B -q -pl sinks/console -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dit.test=ConsoleBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -Dconsole.bench=true
 * </pre>
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleBenchmarkIT {
  private static final int CAMERAS = 50;
  private static final int RATE = 20;
  private static final int SECONDS = Integer.getInteger("console.bench.seconds", 60);

  @Test
  @Timeout(600)
  void measure(KafkaBroker broker, @TempDir Path dir) throws Exception {
    assumeTrue(Boolean.getBoolean("console.bench"), "benchmark: run with -Dconsole.bench=true");
    Browser.assumeInstalled();
    try (Admin admin = broker.admin()) {
      new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
    }
    Process console =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlog4j2.configurationFile=streamsight-test-log4j2.xml",
                ConsoleBenchServer.class.getName(),
                broker.bootstrapServers(),
                dir.resolve("console").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ChromeDriver browser = null;
    try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
      String url = readUrl(console);
      List<KeyframeRef> refs = new ArrayList<>();
      for (int c = 0; c < CAMERAS; c++) {
        String cam = camera(c);
        send(producer, Topics.STATUS, ConsoleFixture.status(cam, CameraState.ONLINE));
        refs.add(keyframe(producer, cam, c));
      }
      browser = Browser.start(dir.resolve("profile"), 1280, 800);
      browser.get(url);
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(ExpectedConditions.textToBe(By.id("conn"), "live"));

      Map<String, Long> committed = new HashMap<>();
      Map<String, Long> rendered = new HashMap<>();
      long periodNanos = 1_000_000_000L / RATE;
      long next = System.nanoTime();
      long lastPoll = System.nanoTime();
      String run = UUID.randomUUID().toString().substring(0, 6);
      for (int i = 0; i < SECONDS * RATE; i++) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait(); // pacing the load generator, not waiting for a condition
        }
        next += periodNanos;
        int c = i % CAMERAS;
        long start = (1_700_000_000_000L + i) * 1000;
        var s =
            ConsoleFixture.summary(
                camera(c), start, "bench " + run + " #" + i, List.of(refs.get(c)));
        send(producer, Topics.SUMMARIES, s);
        committed.put("summary/" + camera(c) + "/" + start, System.currentTimeMillis());
        if (i % 2 == 0) {
          refs.set(c, keyframe(producer, camera(c), i));
        }
        if (System.nanoTime() - lastPoll > 500_000_000L) {
          collect(browser, rendered);
          lastPoll = System.nanoTime();
        }
      }
      long drain = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < drain && !rendered.keySet().containsAll(committed.keySet())) {
        collect(browser, rendered);
      }
      List<Long> lat = new ArrayList<>();
      for (var e : committed.entrySet()) {
        Long r = rendered.get(e.getKey());
        if (r != null) {
          lat.add(r - e.getValue());
        }
      }
      lat.sort(null);
      String rss = memory(console.pid());
      System.out.printf(
          "%nCONSOLE BENCH: %d summaries at %d/s over %d cameras (+%d keyframes/s);"
              + " rendered %d (missed %d); readable -> in the page:"
              + " p50 %d ms, p90 %d ms, p99 %d ms, max %d ms; console process %s%n",
          committed.size(),
          RATE,
          CAMERAS,
          RATE / 2,
          lat.size(),
          committed.size() - lat.size(),
          pct(lat, 50),
          pct(lat, 90),
          pct(lat, 99),
          lat.isEmpty() ? -1 : lat.get(lat.size() - 1),
          rss);
    } finally {
      if (browser != null) {
        browser.quit();
      }
      console.getOutputStream().close();
      if (!console.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        console.destroy();
      }
    }
  }

  private static String camera(int c) {
    return String.format("bench-cam-%02d", c);
  }

  @SuppressWarnings("unchecked")
  private static void collect(ChromeDriver browser, Map<String, Long> rendered) {
    List<List<Object>> items =
        (List<List<Object>>)
            browser.executeScript(
                "return [...document.querySelectorAll('#feed [data-key]')]"
                    + ".map(e => [e.getAttribute('data-key'), Number(e.getAttribute('data-rendered'))])");
    for (List<Object> it : items) {
      rendered.putIfAbsent((String) it.get(0), ((Number) it.get(1)).longValue());
    }
  }

  private static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String memory(long pid) throws Exception {
    String rss = "?";
    String hwm = "?";
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = line.substring(6).trim();
      } else if (line.startsWith("VmHWM:")) {
        hwm = line.substring(6).trim();
      }
    }
    return "RSS " + rss + " (peak " + hwm + ")";
  }

  private static String readUrl(Process p) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      if (line.startsWith("URL ")) {
        return line.substring(4);
      }
    }
    throw new AssertionError("the console process ended without printing its URL");
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "console-bench-" + UUID.randomUUID());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  /** One record in its own transaction, as the exactly-once stages write (readable on commit). */
  private static <V> void send(
      KafkaProducer<byte[], byte[]> producer,
      io.streamsight.schemas.topics.TopicDescriptor<String, V> t,
      V value)
      throws Exception {
    producer.beginTransaction();
    producer.send(
        new ProducerRecord<>(
            t.name(),
            t.keySerde().serializer().serialize(t.name(), t.keyFor(value)),
            t.valueSerde().serializer().serialize(t.name(), value)));
    producer.commitTransaction();
  }

  private static KeyframeRef keyframe(KafkaProducer<byte[], byte[]> producer, String cam, int seed)
      throws Exception {
    var k =
        FrameRecords.keyframe(
                FrameRecords.frame(cam, seed, System.currentTimeMillis() * 1000).build())
            .setJpeg(
                ByteBuffer.wrap(
                    SceneImages.scene(
                        cam,
                        new Color(120, 160, 210),
                        new Color(70, 110, 60),
                        new Color(seed * 37 % 255, 80, 160),
                        seed)))
            .build();
    producer.beginTransaction();
    var m =
        producer.send(
            new ProducerRecord<>(
                Topics.KEYFRAMES.name(),
                cam.getBytes(StandardCharsets.UTF_8),
                Topics.KEYFRAMES.valueSerde().serializer().serialize(Topics.KEYFRAMES.name(), k)));
    producer.commitTransaction();
    var md = m.get();
    return KeyframeRef.newBuilder()
        .setTopic(md.topic())
        .setPartition(md.partition())
        .setOffset(md.offset())
        .setCaptureTimeMicros(k.getCaptureTimeMicros())
        .build();
  }
}
