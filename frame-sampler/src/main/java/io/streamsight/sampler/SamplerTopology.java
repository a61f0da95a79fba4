package io.streamsight.sampler;

import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** The frame sampler: {@code cameras.frames} → keyframe rules → {@code cameras.keyframes}. */
public final class SamplerTopology {
  static final String SOURCE = "frames";
  static final String PROCESSOR = "keyframe-rules";
  static final String STATE_STORE = "sampler-state";
  static final String KEYFRAMES_SINK = "keyframes";
  static final String DLQ_SINK = "dead-letters";

  private SamplerTopology() {}

  /**
   * Without live questions: for tools and tests that do not read {@code vlm.queries} (no frame
   * becomes a QUERY keyframe). Production goes through {@link SamplerApp}.
   */
  public static Topology buildTopology(SamplerConfig config) {
    return buildTopology(config, PendingQuestions.NONE, new OversizedRecords());
  }

  /**
   * A pure function of the config, the pending questions (the one input that is not a topic, see
   * {@link QuestionWatch}) and the app's record of writes refused as too large (which {@link
   * #streamsConfig} hands to the same app's {@link OversizedRecordHandler}): the same topology runs
   * in tests and in production.
   */
  public static Topology buildTopology(
      SamplerConfig config, PendingQuestions questions, OversizedRecords oversized) {
    return buildTopology(config, questions, oversized, SamplerMetrics.NONE);
  }

  /** The same, counting into {@code metrics} (frames, keyframes by reason, lag, dead letters). */
  public static Topology buildTopology(
      SamplerConfig config,
      PendingQuestions questions,
      OversizedRecords oversized,
      SamplerMetrics metrics) {
    Topology t = new Topology();
    t.addSource(
        SOURCE,
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        Topics.FRAMES.name());
    t.addProcessor(
        PROCESSOR, () -> new KeyframeProcessor(config, questions, oversized, metrics), SOURCE);
    t.addStateStore(
        // In memory, backed by its changelog: the state is ~170 bytes per camera (1.7 MB for
        // 10,000 cameras) and restores in moments, while RocksDB would add memory, native code and
        // a position-file fsync on every commit for nothing.
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STATE_STORE), Serdes.String(), Serdes.ByteArray())
            // State is rewritten on every frame; the cache folds those writes into one changelog
            // record per camera per commit.
            .withCachingEnabled(),
        PROCESSOR);
    t.addSink(
        KEYFRAMES_SINK,
        Topics.KEYFRAMES.name(),
        keySer(Topics.KEYFRAMES),
        valueSer(Topics.KEYFRAMES),
        PROCESSOR);
    TopicDescriptor<byte[], ?> dlq = Topics.dlq("frame-sampler");
    t.addSink(DLQ_SINK, dlq.name(), keySer(dlq), valueSer(dlq), PROCESSOR);
    return t;
  }

  @SuppressWarnings("unchecked")
  private static <K> Serializer<Object> keySer(TopicDescriptor<K, ?> d) {
    return (Serializer<Object>) d.keySerde().serializer();
  }

  @SuppressWarnings("unchecked")
  private static <V> Serializer<Object> valueSer(TopicDescriptor<?, V> d) {
    return (Serializer<Object>) d.valueSerde().serializer();
  }

  /**
   * Production settings: exactly-once v2, state under {@code stateDir}; {@code oversized} must be
   * the instance the topology was built with.
   */
  public static Properties streamsConfig(
      String bootstrap, Path stateDir, SamplerConfig config, OversizedRecords oversized) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Sizes come from the topic descriptors: the producer takes the largest record the sampler
    // writes (a keyframe, or a dead letter around a frame), the consumer fetches whole frames.
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Math.max(
            Topics.KEYFRAMES.producerMaxRequestSize(),
            Topics.dlq("frame-sampler").producerMaxRequestSize()));
    Topics.consumerFetchConfigs(Topics.FRAMES)
        .forEach((k, v) -> p.put(StreamsConfig.consumerPrefix(k), v));
    // A record too large to write is dead-lettered (truncated) instead of failing the stream
    // thread, which would restart on the same frame forever.
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecordHandler.class);
    p.put(OversizedRecords.CONFIG_KEY, oversized);
    // A stream thread ended by such a record is replaced, and its consumer does not leave the group
    // (Kafka Streams never does on a thread's end): the new thread gets the tasks only once the
    // coordinator drops the old member at its session timeout. Kafka's 45 s default made one
    // oversized record stall the sampler ~45 s; 10 s (heartbeats every 3 s) bounds that, and also
    // how long a crashed instance's cameras wait for another instance.
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
    return p;
  }
}
