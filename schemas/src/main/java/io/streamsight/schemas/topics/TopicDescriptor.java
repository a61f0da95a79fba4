package io.streamsight.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place a topic is defined: name, typed serdes and the settings {@code topics create}
 * applies. Immutable.
 *
 * @param retention {@code null} keeps the broker default (used for compacted topics)
 */
public record TopicDescriptor<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    CleanupPolicy cleanupPolicy,
    Duration retention) {

  /** Kafka's cleanup.policy values we use. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String config;

    CleanupPolicy(String config) {
      this.config = config;
    }

    public String config() {
      return config;
    }
  }

  public TopicDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1");
    }
  }

  /** Topic-level configs to set at creation (and compare against an existing topic). */
  public Map<String, String> configs() {
    return retention == null
        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.config())
        : Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            cleanupPolicy.config(),
            TopicConfig.RETENTION_MS_CONFIG,
            Long.toString(retention.toMillis()));
  }
}
