package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.json.AvroJson.BytesStyle;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsight tail TOPIC}: prints decoded records. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the decoded records of a Streamsight topic, from the beginning (or --latest).",
      "Stops after --max records or when --timeout has passed. Bytes fields are shown as"
          + " length + sha256, or with --bytes base64 in full (what publish reads back)."
    })
public final class TailCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. cameras.frames, vlm.alerts")
  String topic;

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(names = "--max", description = "Stop after this many records.")
  Long max;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      description = "Stop after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "One JSON object per line, Avro field names.")
  boolean json;

  @Option(names = "--latest", description = "Only records written from now on.")
  boolean latest;

  @Option(
      names = "--bytes",
      defaultValue = "digest",
      description =
          "How bytes fields are printed: digest ({\"length\", \"sha256\"}) or base64"
              + " ({\"base64\": ...}, so `tail --json --bytes base64 | publish` round-trips)."
              + " Default: ${DEFAULT-VALUE}.")
  String bytes;

  @Option(
      names = "--progress",
      description =
          "On cameras.keyframes, also print the sampler's progress records (no image; they only"
              + " move event time). Skipped by default.")
  boolean progress;

  /**
   * Alert event records printed so far ({@link AlertEvents#recordKey}: id and phase): alerts are
   * written at-least-once (at once, not at a checkpoint), so after an operator restart a record can
   * be on the topic twice; tail prints it once.
   */
  // Alerts are written at-least-once: a repeat has the same id. Bounded, so a tail left running
  // for days does not grow with every alert (a repeat comes soon after its original).
  private final Set<String> alertIds =
      java.util.Collections.newSetFromMap(new io.streamsight.vlm.operator.util.Lru<>(100_000));

  private final Set<String> answerIds =
      java.util.Collections.newSetFromMap(new io.streamsight.vlm.operator.util.Lru<>(100_000));

  @Override
  public Integer call() {
    TopicDescriptor<?, ?> descriptor = Topics.byName(topic);
    BytesStyle style = bytesStyle(spec, bytes);
    BrokerReach.require(bootstrap);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long deadline = System.nanoTime() + timeout.toNanos();
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.io.PrintWriter err = spec.commandLine().getErr();
    long printed = 0;
    long failed = 0;
    // No consumer group: tail must never move anyone's committed offsets.
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, timeout).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      if (latest) {
        consumer.seekToEnd(parts);
      } else {
        consumer.seekToBeginning(parts);
      }
      while ((max == null || printed < max) && System.nanoTime() < deadline) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        for (ConsumerRecord<byte[], byte[]> r :
            consumer.poll(Duration.ofMillis(Math.min(left, 500)))) {
          if (max != null && printed >= max) {
            break;
          }
          try {
            String line = render(descriptor, r, style);
            if (line != null) {
              out.println(line);
              printed++;
            }
          } catch (RuntimeException e) {
            failed++;
            err.printf(
                "skipped %s-%d@%d: %s%n", r.topic(), r.partition(), r.offset(), e.getMessage());
          }
        }
      }
    }
    out.flush();
    if (failed > 0) {
      err.println(failed + " record(s) could not be decoded");
    }
    return 0;
  }

  private static BytesStyle bytesStyle(CommandSpec spec, String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "digest" -> BytesStyle.DIGEST;
      case "base64" -> BytesStyle.BASE64;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--bytes: '" + s + "' is not digest or base64");
    };
  }

  private String render(
      TopicDescriptor<?, ?> d, ConsumerRecord<byte[], byte[]> r, BytesStyle style) {
    Object value = d.valueSerde().deserializer().deserialize(r.topic(), r.value());
    if (value instanceof Keyframe k && Progress.is(k) && !progress) {
      return null;
    }
    if (value instanceof Alert a && !alertIds.add(AlertEvents.recordKey(a))) {
      return null; // a repeat of an event record already printed (same id and phase)
    }
    if (value instanceof Answer a && !answerIds.add(a.getQueryId())) {
      return null; // answers are at-least-once too: a repeat has the same query id
    }
    String body =
        value == null ? "null (tombstone)" : AvroJson.toJsonLine((GenericRecord) value, style);
    if (json) {
      return body;
    }
    Object key =
        r.key() == null ? null : d.keySerde().deserializer().deserialize(r.topic(), r.key());
    String keyText = key instanceof byte[] b ? b.length + " bytes" : String.valueOf(key);
    if (value instanceof Alert a) {
      // The event's phase, duration and peak first, for people watching the desk.
      keyText = keyText + " " + AlertEvents.describe(a) + " |";
    }
    return String.format("%d@%d %s %s", r.partition(), r.offset(), keyText, body);
  }
}
