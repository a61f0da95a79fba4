package io.streamsight.deploy.demo;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.topics.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's terminal feed: reads summaries, alerts, answers and camera status (committed records
 * only) and prints one readable line each; with an output dir it also appends every record as JSON
 * to {@code summaries.jsonl}, {@code alerts.jsonl}, {@code answers.jsonl}.
 */
public final class LiveFeed implements Runnable, AutoCloseable {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PrintStream out;
  private final Map<String, BufferedWriter> files = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger summaries = new AtomicInteger();
  private final AtomicInteger alerts = new AtomicInteger();
  // Alerts and answers are written at-least-once (a repeat has the same alert or query id);
  // bounded like tail's.
  private final java.util.Set<String> alertIds =
      java.util.Collections.synchronizedSet(
          java.util.Collections.newSetFromMap(new io.streamsight.vlm.operator.util.Lru<>(100_000)));
  private final AtomicInteger answers = new AtomicInteger();

  public LiveFeed(String bootstrap, Path outDir, PrintStream out) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamsight-demo-feed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.out = out;
    if (outDir != null) {
      try {
        Files.createDirectories(outDir);
        for (String name : List.of("summaries", "alerts", "answers")) {
          files.put(
              name,
              Files.newBufferedWriter(outDir.resolve(name + ".jsonl"), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write demo output to " + outDir, e);
      }
    }
  }

  @Override
  public void run() {
    consumer.subscribe(
        List.of(
            Topics.SUMMARIES.name(),
            Topics.ALERTS.name(),
            Topics.ANSWERS.name(),
            Topics.STATUS.name()));
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          handle(r);
        }
        flush();
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    Object value;
    try {
      value =
          Topics.byName(r.topic()).valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      out.println("  (undecodable record on " + r.topic() + ": " + e.getMessage() + ")");
      return;
    }
    if (value instanceof Summary s) {
      summaries.incrementAndGet();
      out.printf(
          "%s  SUMMARY %-8s [%s-%s] %s%n",
          now(),
          s.getCameraId(),
          clock(s.getWindowStartMicros()),
          clock(s.getWindowEndMicros()),
          s.getText());
      write("summaries", s);
    } else if (value instanceof Alert a) {
      if (!alertIds.add(AlertEvents.recordKey(a))) {
        return; // alerts are at-least-once: a repeat after a restart is the same record
      }
      if (AlertEvents.opens(a)) {
        alerts.incrementAndGet(); // counts events, not their records
        out.printf(
            "%s  ALERT   %-8s %s (rule %s, p(yes)=%.2f, %s) window %s-%s%n",
            now(),
            a.getCameraId(),
            a.getQuestion(),
            a.getRuleId(),
            a.getPYes(),
            a.getSeverity(),
            clock(a.getWindowStartMicros()),
            clock(a.getWindowEndMicros()));
      } else {
        out.printf("%s  ALERT   %-8s %s%n", now(), a.getCameraId(), AlertEvents.describe(a));
      }
      write("alerts", a);
    } else if (value instanceof Answer a) {
      if (!alertIds.add("answer\u0000" + a.getQueryId())) {
        return; // answers are at-least-once too: a repeat has the same query id
      }
      answers.incrementAndGet();
      out.printf(
          "%s  ANSWER  %-8s Q: %s  A: %s (%s)%n",
          now(), a.getCameraId(), a.getQuestion(), a.getText(), a.getStatus());
      write("answers", a);
    } else if (value instanceof CameraStatus c) {
      out.printf(
          "%s  CAMERA  %-8s %s%s (published %d, dropped %d)%n",
          now(),
          c.getCameraId(),
          c.getState(),
          c.getError() == null ? "" : ": " + c.getError(),
          c.getFramesPublished(),
          c.getFramesDropped());
    }
  }

  private void write(String file, GenericRecord record) {
    BufferedWriter w = files.get(file);
    if (w == null) {
      return;
    }
    try {
      w.write(AvroJson.toJsonLine(record));
      w.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to " + file + ".jsonl", e);
    }
  }

  private void flush() {
    for (BufferedWriter w : files.values()) {
      try {
        w.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String now() {
    return CLOCK.format(Instant.now());
  }

  private static String clock(long micros) {
    return CLOCK.format(Instant.ofEpochMilli(micros / 1000));
  }

  public int summaries() {
    return summaries.get();
  }

  public int alerts() {
    return alerts.get();
  }

  public int answers() {
    return answers.get();
  }

  /** Stops polling; safe from any thread. Files are flushed and closed. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }

  /** Closes the output files once {@link #run()} has returned. */
  public void closeFiles() {
    for (BufferedWriter w : files.values()) {
      try {
        w.close();
      } catch (IOException e) {
        // best effort at shutdown: the data was flushed after every poll
      }
    }
  }
}
