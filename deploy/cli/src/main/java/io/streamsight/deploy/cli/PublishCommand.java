package io.streamsight.deploy.cli;

import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsight publish TOPIC --json FILE|-}: the inverse of {@code tail --json}. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish records written as JSON lines (the shape tail --json prints; bytes fields as"
          + " {\"base64\": \"...\"}) to a Streamsight topic, keyed as the topic defines.",
      "Every line is validated first: one bad line and nothing is sent. All records go in one"
          + " Kafka transaction, so read_committed readers see all of them or none."
    })
public final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. vlm.rules, cameras.keyframes")
  String topic;

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(
      names = "--json",
      required = true,
      paramLabel = "FILE|-",
      description = "JSON lines to publish; - reads standard input.")
  String json;

  @Override
  public Integer call() throws IOException {
    TopicDescriptor<?, ?> descriptor;
    try {
      descriptor = Topics.byName(topic);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<ProducerRecord<byte[], byte[]>> records;
    String source = json.equals("-") ? "standard input" : json;
    // All lines are held in memory: validating everything before sending anything needs them
    // (standard input cannot be read twice).
    try (BufferedReader in = open()) {
      records = JsonLinesRecords.read(descriptor, in, source);
    }
    if (records.isEmpty()) {
      spec.commandLine().getOut().println("nothing to publish: " + source + " has no records");
      return 0;
    }
    send(records);
    spec.commandLine()
        .getOut()
        .printf("published %d record(s) to %s in one transaction%n", records.size(), topic);
    return 0;
  }

  private BufferedReader open() {
    if (json.equals("-")) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    Path file = Path.of(json);
    if (!Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "--json: cannot read " + file);
    }
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void send(List<ProducerRecord<byte[], byte[]>> records) {
    BrokerReach.require(bootstrap);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // A fresh id per run: two publishes at once must not fence each other.
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamsight-publish-" + UUID.randomUUID());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      try {
        for (ProducerRecord<byte[], byte[]> r : records) {
          producer.send(r);
        }
        producer.commitTransaction(); // flushes; a failed send fails the commit
      } catch (KafkaException e) {
        abort(producer, e);
        throw new IllegalStateException(
            "publishing "
                + records.size()
                + " record(s) to "
                + topic
                + " failed; the transaction was aborted, nothing is visible to read_committed"
                + " readers",
            e);
      }
    }
  }

  private static void abort(KafkaProducer<byte[], byte[]> producer, KafkaException cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // Fenced or broken producers cannot abort; the broker aborts on transaction timeout.
      cause.addSuppressed(e);
    }
  }
}
