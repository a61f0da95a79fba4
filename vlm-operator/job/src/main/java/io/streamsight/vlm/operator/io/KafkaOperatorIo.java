package io.streamsight.vlm.operator.io;

import io.streamsight.sinks.kafka.KafkaSinkSettings;
import io.streamsight.sinks.kafka.OutputSinks;
import java.time.Duration;
import org.apache.flink.connector.kafka.source.KafkaSource;
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
        source(bootstrap, groupId, topics.keyframes(), new KeyframeDeserializer(), false),
        // Rules are state: always read the compacted topic from the start.
        source(bootstrap, groupId, topics.rules(), new RuleDeserializer(), true),
        source(bootstrap, groupId, topics.queries(), new QueryDeserializer(), false),
        OutputSinks.summaries(sinks, topics.summaries()),
        OutputSinks.alerts(sinks, topics.alerts()),
        OutputSinks.answers(sinks, topics.answers()),
        OutputSinks.deadLettersTo(sinks, topics.deadLetters()),
        OutputSinks.digests(sinks, topics.digests()));
  }

  private static <T> KafkaSource<T> source(
      String bootstrap,
      String groupId,
      String topic,
      KafkaRecordDeserializationSchema<T> deserializer,
      boolean fromEarliest) {
    OffsetsInitializer start =
        fromEarliest
            ? OffsetsInitializer.earliest()
            : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    return KafkaSource.<T>builder()
        .setBootstrapServers(bootstrap)
        .setGroupId(groupId + "-" + topic)
        .setTopics(topic)
        .setStartingOffsets(start)
        .setDeserializer(deserializer)
        // Only committed output of the exactly-once sampler counts as input.
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setProperty("partition.discovery.interval.ms", "60000")
        .build();
  }
}
