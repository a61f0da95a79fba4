package io.streamsight.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place a topic is defined: name, typed serdes, the settings {@code topics create} applies
 * and how a record's key follows from its value. Immutable.
 *
 * @param retention {@code null} keeps the broker default (used for compacted topics)
 * @param keyOf the key a record of this topic is written with (camera id, rule id, query id...), so
 *     tools that only have values ({@code publish}) key them as the stages do; {@code null} for a
 *     topic whose key cannot be derived from the value
 */
public record TopicDescriptor<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    CleanupPolicy cleanupPolicy,
    Duration retention,
    Function<V, K> keyOf) {

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

  /** A topic whose key is not derived from its values. */
  public TopicDescriptor(
      String name,
      Serde<K> keySerde,
      Serde<V> valueSerde,
      int partitions,
      CleanupPolicy cleanupPolicy,
      Duration retention) {
    this(name, keySerde, valueSerde, partitions, cleanupPolicy, retention, null);
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

  /** The key {@code value} is written with on this topic. */
  public K keyFor(V value) {
    if (keyOf == null) {
      throw new IllegalStateException("topic " + name + " does not derive keys from its records");
    }
    return keyOf.apply(value);
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
