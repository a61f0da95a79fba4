package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.schemas.validation.RecordChecks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsight rules add|list|rm}: alert rules on the compacted {@code vlm.rules} topic. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Manage alert rules (plain-language yes/no questions scored on every window).",
    subcommands = {RulesCommand.Add.class, RulesCommand.ListRules.class, RulesCommand.Remove.class})
public final class RulesCommand {
  private static final AvroCodec<AlertRule> CODEC = AvroCodec.of(AlertRule.class);

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add or replace a rule. A bad rule is refused here (exit 2, naming the option) with the"
            + " checks the operator applies: --id and --camera use camera-id characters"
            + " (A-Z a-z 0-9 . _ -; --camera also * and ?), the question is 1 to 500 characters,"
            + " 0 < threshold < 1, 0 <= cooldown <= 24h, a schedule in its grammar.",
        "An alert is an event: STARTED when p(yes) first reaches the threshold, open while it"
            + " stays at or above threshold - hysteresis, ENDED once it has been below that for"
            + " --clear-after, when the camera stops, or after --max-duration; --cooldown is the"
            + " quiet time between two events."
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
    String bootstrap;

    @Option(names = "--id", required = true, description = "Rule id (adding it again replaces it).")
    String id;

    @Option(
        names = "--camera",
        required = true,
        description = "Camera id glob: * any run, ? one character, e.g. cam-*.")
    String camera;

    @Option(names = "--question", required = true, description = "A yes/no question.")
    String question;

    @Option(
        names = "--threshold",
        defaultValue = "0.5",
        description = "p(yes) to alert (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(
        names = "--cooldown",
        defaultValue = "60s",
        description = "Per camera (default: ${DEFAULT-VALUE}).")
    Duration cooldown;

    @Option(
        names = "--severity",
        defaultValue = "medium",
        description = "low, medium, high, critical.")
    String severity;

    @Option(names = "--disabled", description = "Store the rule but do not evaluate it.")
    boolean disabled;

    @Option(
        names = "--verify-with",
        paramLabel = "MODEL",
        description =
            "A model declared in the operator's 'models:' that must agree before an alert is"
                + " emitted (verification cascade; an unknown name is dead-lettered by the job).")
    String verifyWith;

    @Option(
        names = "--hysteresis",
        defaultValue = "0.1",
        description =
            "An open event stays open while p(yes) >= threshold - this (at most half the"
                + " threshold; default: ${DEFAULT-VALUE}).")
    double hysteresis;

    @Option(
        names = "--clear-after",
        defaultValue = "10s",
        description =
            "An event ends once its condition has been false this long, in event time (default:"
                + " ${DEFAULT-VALUE}).")
    Duration clearAfter;

    @Option(
        names = "--max-duration",
        defaultValue = "10m",
        description = "An event ends at the latest this long after it started (default: 10m).")
    Duration maxDuration;

    @Option(
        names = "--min-duration",
        defaultValue = "0s",
        description =
            "The condition must hold this long before an event starts (default: 0, at once).")
    Duration minDuration;

    @Option(
        names = "--schedule",
        description =
            "Active hours; outside them no event starts, e.g. 'Mon-Fri 18:00-07:00"
                + " Europe/Berlin', 'Sat,Sun 00:00-24:00; 22:00-06:00 UTC' (default: always).")
    String schedule;

    @Override
    public Integer call() throws Exception {
      AlertRule rule =
          AlertRule.newBuilder()
              .setId(id)
              .setCameraGlob(camera)
              .setQuestion(question)
              .setThreshold(threshold)
              .setCooldownMicros(cooldown.toNanos() / 1000)
              .setSeverity(severity(spec, severity))
              .setEnabled(!disabled)
              .setHysteresis(hysteresis)
              .setClearAfterMicros(clearAfter.toNanos() / 1000)
              .setMaxDurationMicros(maxDuration.toNanos() / 1000)
              .setMinDurationMicros(minDuration.toNanos() / 1000)
              .setSchedule(schedule)
              .setVerifyWith(verifier(spec, verifyWith))
              .setUpdatedMicros(System.currentTimeMillis() * 1000)
              .build();
      try {
        RecordChecks.alertRule(null, rule); // the operator's own checks, shared through schemas
      } catch (InvalidRecordException e) {
        throw new ParameterException(spec.commandLine(), option(e.field()) + ": " + e.problem());
      }
      BrokerReach.require(bootstrap);
      try (var p = producer(bootstrap)) {
        p.send(new ProducerRecord<>(Topics.RULES.name(), utf8(id), CODEC.encode(rule))).get();
      }
      System.out.println("rule " + id + " stored");
      return 0;
    }

    private static Severity severity(CommandSpec spec, String s) {
      try {
        return Severity.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--severity: '" + s + "' is not one of " + List.of(Severity.values()));
      }
    }

    /** A model name as {@code models:} keys are written, or null. */
    private static String verifier(CommandSpec spec, String name) {
      if (name == null) {
        return null;
      }
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new ParameterException(
            spec.commandLine(),
            "--verify-with: '" + name + "' is not a model name (letters, digits, . _ -)");
      }
      return name;
    }

    /** The CLI option that sets an {@link AlertRule} field. */
    private static String option(String field) {
      return switch (field) {
        case "cameraGlob" -> "--camera";
        case "cooldownMicros" -> "--cooldown";
        case "clearAfterMicros" -> "--clear-after";
        case "maxDurationMicros" -> "--max-duration";
        case "minDurationMicros" -> "--min-duration";
        default -> "--" + field;
      };
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a rule.")
  static final class Remove implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
    String bootstrap;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      BrokerReach.require(bootstrap);
      try (var p = producer(bootstrap)) {
        p.send(new ProducerRecord<>(Topics.RULES.name(), utf8(id), null)).get(); // tombstone
      }
      System.out.println("rule " + id + " deleted");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the current rules.")
  static final class ListRules implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
    String bootstrap;

    @Option(
        names = "--stats",
        description =
            "Also print per-rule feedback figures (events, confirmed, false, unreviewed,"
                + " precision, p(yes) of confirmed vs false, a threshold suggestion) from"
                + " vlm.alerts and vlm.feedback. The suggestion is never applied.")
    boolean stats;

    @Override
    public Integer call() {
      BrokerReach.require(bootstrap);
      Map<String, AlertRule> rules = new TreeMap<>();
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      // No group: listing must not move anyone's offsets.
      try (var c =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> parts =
            c.partitionsFor(Topics.RULES.name(), Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
              rules.remove(key);
            } else {
              try {
                rules.put(key, CODEC.decode(r.topic(), r.partition(), r.offset(), r.value()));
              } catch (RuntimeException e) {
                System.err.println("skipping undecodable rule " + key + ": " + e.getMessage());
              }
            }
          }
        }
      }
      var out = spec.commandLine().getOut();
      out.printf(
          "%-16s %-12s %-9s %-9s %-8s %-7s %-22s %s%n",
          "ID", "CAMERA", "THRESHOLD", "COOLDOWN", "SEVERITY", "ENABLED", "EVENT", "QUESTION");
      for (AlertRule r : rules.values()) {
        out.printf(
            "%-16s %-12s %-9.2f %-9s %-8s %-7s %-22s %s%n",
            r.getId(),
            r.getCameraGlob(),
            r.getThreshold(),
            Duration.ofNanos(r.getCooldownMicros() * 1000).toSeconds() + "s",
            r.getSeverity().name().toLowerCase(Locale.ROOT),
            r.getEnabled(),
            eventTiming(r),
            r.getQuestion()
                + (r.getVerifyWith() == null ? "" : " (verified by " + r.getVerifyWith() + ")"));
      }
      if (stats) {
        RuleStatsPrinter.print(bootstrap, rules, out, spec.commandLine().getErr());
      }
      out.flush();
      return 0;
    }

    /** {@code ±0.10 clear 10s max 600s}, plus min duration and schedule when set. */
    private static String eventTiming(AlertRule r) {
      String t =
          String.format(
              Locale.ROOT,
              "±%.2f clear %ds max %ds",
              r.getHysteresis(),
              r.getClearAfterMicros() / 1_000_000,
              r.getMaxDurationMicros() / 1_000_000);
      if (r.getMinDurationMicros() > 0) {
        t += " min " + r.getMinDurationMicros() / 1_000_000 + "s";
      }
      return r.getSchedule() == null ? t : t + " [" + r.getSchedule() + "]";
    }
  }
}
