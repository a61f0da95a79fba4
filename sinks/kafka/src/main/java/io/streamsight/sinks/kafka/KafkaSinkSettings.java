package io.streamsight.sinks.kafka;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * How the output sinks reach Kafka.
 *
 * @param transactionalIdPrefix unique per job (and per sink, the builders append the topic name):
 *     two jobs sharing a prefix would fence each other's transactions
 * @param transactionTimeout must exceed the longest checkpoint interval plus restart time and stay
 *     below the broker's {@code transaction.max.timeout.ms} (15 min by default)
 */
public record KafkaSinkSettings(
    String bootstrapServers,
    DeliveryGuarantee guarantee,
    String transactionalIdPrefix,
    Duration transactionTimeout) {

  public KafkaSinkSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(guarantee, "guarantee");
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE
        && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
      throw new IllegalArgumentException("exactly-once sinks need a transactionalIdPrefix");
    }
    transactionTimeout = transactionTimeout == null ? Duration.ofMinutes(5) : transactionTimeout;
  }

  /** Transactional writes, committed on checkpoint completion. */
  public static KafkaSinkSettings exactlyOnce(
      String bootstrapServers, String transactionalIdPrefix) {
    return new KafkaSinkSettings(
        bootstrapServers, DeliveryGuarantee.EXACTLY_ONCE, transactionalIdPrefix, null);
  }

  public static KafkaSinkSettings atLeastOnce(String bootstrapServers) {
    return new KafkaSinkSettings(bootstrapServers, DeliveryGuarantee.AT_LEAST_ONCE, null, null);
  }
}
