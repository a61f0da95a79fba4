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
    transactionTimeout =
        transactionTimeout == null ? DEFAULT_TRANSACTION_TIMEOUT : transactionTimeout;
  }

  /** Below the broker's {@code transaction.max.timeout.ms} (Kafka's default is 15 min). */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(5);

  // Allowance for a restart: a lost TaskManager is noticed within the heartbeat timeout (15 s on
  // the local cluster) and the exponential-delay restart starts after about a second; the restored
  // job must then commit the transactions its last checkpoint holds.
  static final Duration RESTART_ALLOWANCE = Duration.ofMinutes(1);

  /**
   * Exactly-once sinks for the job named {@code jobName}, checked against its checkpoint interval.
   * The transactional-id prefix is the job name: stable across restarts of the same job (the
   * restored job finds and aborts its own lingering transactions by it) and different for different
   * jobs, which must therefore have different names (two jobs sharing a prefix fence each other's
   * producers and lose output).
   *
   * @throws IllegalArgumentException naming both values when the timeout is too short, or when the
   *     job name cannot be a prefix
   */
  public static KafkaSinkSettings forJob(
      String bootstrapServers, String jobName, Duration checkpointInterval) {
    KafkaSinkSettings s = exactlyOnce(bootstrapServers, transactionalIdPrefix(jobName));
    s.requireTimeoutCovers(checkpointInterval);
    return s;
  }

  /** The transactional-id prefix of a job: its name, validated. */
  public static String transactionalIdPrefix(String jobName) {
    if (jobName == null || jobName.isBlank()) {
      throw new IllegalArgumentException("job name (transactional-id prefix) must not be blank");
    }
    if (!jobName.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "job name '"
              + jobName
              + "' must be 1-200 letters, digits, '.', '_' or '-': it is the Kafka"
              + " transactional-id prefix and consumer group of the job");
    }
    return jobName;
  }

  /**
   * The shortest transaction timeout safe for {@code checkpointInterval}: 2 intervals plus {@link
   * #RESTART_ALLOWANCE}. A transaction opens right after one checkpoint and commits only when the
   * next one completes (one interval, plus the checkpoint's own duration, for which we budget
   * another interval); after a failure the restored job commits it again, so it must also outlive a
   * restart. If Kafka aborts it first, that output is lost, silently.
   */
  public static Duration minimumTimeout(Duration checkpointInterval) {
    return checkpointInterval.multipliedBy(2).plus(RESTART_ALLOWANCE);
  }

  /** Fails fast at job start when the transactions could time out between two checkpoints. */
  public void requireTimeoutCovers(Duration checkpointInterval) {
    if (guarantee != DeliveryGuarantee.EXACTLY_ONCE) {
      return;
    }
    Duration min = minimumTimeout(checkpointInterval);
    if (transactionTimeout.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "Kafka transaction timeout "
              + transactionTimeout
              + " is too short for checkpoint interval "
              + checkpointInterval
              + ": it must be at least 2 x interval + "
              + RESTART_ALLOWANCE
              + " = "
              + min
              + ", or Kafka aborts transactions before the checkpoint that commits them (lower"
              + " checkpoint.interval to at most "
              + transactionTimeout.minus(RESTART_ALLOWANCE).dividedBy(2)
              + ")");
    }
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
