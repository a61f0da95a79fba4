package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.kafka.KafkaSinkSettings;
import io.streamsight.sinks.kafka.OutputSinks;
import io.streamsight.vlm.operator.images.KafkaFrameFetcher;
import java.time.Duration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The production wiring: the Streamsight topics on one Kafka cluster. */
public final class KafkaOperatorIo {
  public static final String STAGE = "vlm-operator";

  private KafkaOperatorIo() {}

  /**
   * @param jobName the consumer group (offsets are committed on checkpoints, for monitoring only:
   *     the job restores its positions from checkpoints) and the transactional-id prefix, see
   *     {@link KafkaSinkSettings#forJob}
   * @param checkpointInterval the job's; the sinks' transaction timeout is checked against it
   */
  public static OperatorIo create(String bootstrap, String jobName, Duration checkpointInterval) {
    return create(bootstrap, jobName, checkpointInterval, TopicNames.standard());
  }

  public static OperatorIo create(
      String bootstrap, String jobName, Duration checkpointInterval, TopicNames topics) {
    KafkaSinkSettings sinks = KafkaSinkSettings.forJob(bootstrap, jobName, checkpointInterval);
    String groupId = jobName;
    return new OperatorIo(
        source(
            bootstrap,
            groupId,
            topics.keyframes(),
            Topics.KEYFRAMES,
            new KeyframeDeserializer(),
            false),
        // Rules are state: always read the compacted topic from the start.
        source(bootstrap, groupId, topics.rules(), Topics.RULES, new RuleDeserializer(), true),
        source(
            bootstrap, groupId, topics.queries(), Topics.QUERIES, new QueryDeserializer(), false),
        OutputSinks.summaries(sinks, topics.summaries()),
        // Alerts and answers are written at once, not at the next checkpoint: see alertSettings.
        OutputSinks.alerts(alertSettings(bootstrap), topics.alerts()),
        OutputSinks.answers(alertSettings(bootstrap), topics.answers()),
        OutputSinks.deadLettersTo(sinks, topics.deadLetters()),
        OutputSinks.digests(sinks, topics.digests()),
        // Images missing from a TaskManager's cache are read back from the same cluster.
        new KafkaFrameFetcher.KafkaFactory(bootstrap));
  }

  /**
   * Alerts and answers: at-least-once with an idempotent producer, so an alert or answer is
   * readable (also by read_committed readers) as soon as the broker has it, instead of when the
   * next checkpoint commits a transaction (up to {@code checkpoint.interval}, 2 s by default,
   * later): someone is waiting for them. After a failure the job replays from its last checkpoint
   * and writes the alerts since then again, with the same deterministic {@code alertId}, and may
   * answer a question again under the same {@code queryId}: readers dedupe by id (the delivery
   * connectors, {@code streamsight tail} and {@code streamsight ask} do). Summaries, digests and
   * dead letters stay exactly-once.
   */
  static KafkaSinkSettings alertSettings(String bootstrap) {
    return KafkaSinkSettings.atLeastOnce(bootstrap);
  }

  static final String IDLE_FETCH_WAIT_MS = "5000";

  private static <T> KafkaSource<T> source(
      String bootstrap,
      String groupId,
      String topic,
      TopicDescriptor<?, ?> declared,
      KafkaRecordDeserializationSchema<T> deserializer,
      boolean fromEarliest) {
    OffsetsInitializer start =
        fromEarliest
            ? OffsetsInitializer.earliest()
            : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    KafkaSourceBuilder<T> b =
        KafkaSource.<T>builder()
            .setBootstrapServers(bootstrap)
            .setGroupId(groupId + "-" + topic)
            .setTopics(topic)
            .setStartingOffsets(start)
            .setDeserializer(deserializer)
            // Only committed output of the exactly-once sampler counts as input.
            .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .setProperty("partition.discovery.interval.ms", "60000")
            // How long the broker holds an empty fetch. It costs no latency: with fetch.min.bytes
            // 1 the broker answers as soon as a record (or a transaction marker moving the
            // read_committed end) lands. The 500 ms default made the six idle readers send 12
            // fetches a second, most of an idle broker's request handling (issue 28). These
            // readers never seek or pause after start (no watermark alignment), the one case in
            // which a held fetch would delay new data. Below request.timeout.ms (30 s).
            .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, IDLE_FETCH_WAIT_MS);
    // Fetch sizes from the topic's declared message limit (keyframes carry whole JPEGs).
    Topics.consumerFetchConfigs(declared).forEach((k, v) -> b.setProperty(k, String.valueOf(v)));
    return b.build();
  }
}
