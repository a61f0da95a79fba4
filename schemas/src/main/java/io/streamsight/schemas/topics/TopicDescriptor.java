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
 * @param maxMessageBytes the largest record batch the topic accepts ({@code max.message.bytes}).
 *     Declared here once; producers' {@code max.request.size}, brokers' {@code message.max.bytes}
 *     and {@code replica.fetch.max.bytes}, and consumers' fetch sizes are derived from it, so no
 *     hop silently rejects a record another accepted
 */
public record TopicDescriptor<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    CleanupPolicy cleanupPolicy,
    Duration retention,
    Function<V, K> keyOf,
    int maxMessageBytes) {

  /** Kafka's own default (1 MiB and a batch header), for topics of small records. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

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
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("topic " + name + ": maxMessageBytes must be >= 1024");
    }
  }

  /**
   * A topic of small records ({@link #DEFAULT_MAX_MESSAGE_BYTES}) whose key is not derived from its
   * values.
   */
  public TopicDescriptor(
      String name,
      Serde<K> keySerde,
      Serde<V> valueSerde,
      int partitions,
      CleanupPolicy cleanupPolicy,
      Duration retention) {
    this(
        name,
        keySerde,
        valueSerde,
        partitions,
        cleanupPolicy,
        retention,
        null,
        DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * {@code max.request.size} for a producer writing this topic: the same as the topic's limit, so
   * an oversized record fails at once in the producer with a RecordTooLargeException naming its
   * size, instead of travelling to a broker that rejects the whole batch.
   */
  public int producerMaxRequestSize() {
    return maxMessageBytes;
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
    Map<String, String> c = new java.util.LinkedHashMap<>();
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.config());
    if (retention != null) {
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    return java.util.Collections.unmodifiableMap(c);
  }
}
