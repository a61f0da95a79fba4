package io.streamsight.schemas.topics;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroSerde;
import io.streamsight.schemas.topics.TopicDescriptor.CleanupPolicy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every Streamsight topic, declared once (see docs/architecture.md, "Topics and records"). */
public final class Topics {
  private Topics() {}

  /** Stages that own a dead-letter topic {@code dlq.<stage>}. */
  public static final List<String> STAGES =
      List.of("ingest", "frame-sampler", "vlm-operator", "sinks", "archive");

  private static final int DEFAULT_PARTITIONS = 4;

  /**
   * The largest frame record: a JPEG of up to 1664 x 1664 at quality 100 (libjpeg-turbo's
   * worst-case bound of 3 bytes per pixel for 4:2:0) plus its features. Ingest refuses a max edge
   * whose worst case does not fit.
   */
  public static final int FRAME_MAX_BYTES = 8 << 20;

  /** Room a wrapping record (a keyframe around its frame, a dead letter around a record) adds. */
  public static final int WRAPPER_BYTES = 64 << 10;

  /** A keyframe is its frame plus reason and score. */
  public static final int KEYFRAME_MAX_BYTES = FRAME_MAX_BYTES + WRAPPER_BYTES;

  /**
   * A dead letter carries the original record's bytes (a keyframe at most) plus error text and
   * coordinates; longer originals are truncated to {@link #DLQ_MAX_ORIGINAL_BYTES} with a note.
   */
  public static final int DLQ_MAX_BYTES = KEYFRAME_MAX_BYTES + WRAPPER_BYTES;

  /** The most original bytes a dead letter keeps. */
  public static final int DLQ_MAX_ORIGINAL_BYTES = DLQ_MAX_BYTES - WRAPPER_BYTES;

  // Frames are big and only useful while fresh: a short retention bounds the disk they hold.
  public static final TopicDescriptor<String, Frame> FRAMES =
      delete(
          "cameras.frames", Frame.class, Frame::getCameraId, Duration.ofHours(1), FRAME_MAX_BYTES);
  public static final TopicDescriptor<String, Keyframe> KEYFRAMES =
      delete(
          "cameras.keyframes",
          Keyframe.class,
          Keyframe::getCameraId,
          Duration.ofDays(1),
          KEYFRAME_MAX_BYTES);
  public static final TopicDescriptor<String, CameraStatus> STATUS =
      compact("cameras.status", CameraStatus.class, CameraStatus::getCameraId);
  public static final TopicDescriptor<String, AlertRule> RULES =
      compact("vlm.rules", AlertRule.class, AlertRule::getId);
  public static final TopicDescriptor<String, Summary> SUMMARIES =
      delete("vlm.summaries", Summary.class, Summary::getCameraId, Duration.ofDays(7));
  public static final TopicDescriptor<String, Alert> ALERTS =
      delete("vlm.alerts", Alert.class, Alert::getCameraId, Duration.ofDays(30));
  public static final TopicDescriptor<String, Query> QUERIES =
      delete("vlm.queries", Query.class, Query::getQueryId, Duration.ofDays(1));
  public static final TopicDescriptor<String, Answer> ANSWERS =
      delete("vlm.answers", Answer.class, Answer::getQueryId, Duration.ofDays(1));
  // Digests are what people read back (a day is 288 five-minute records per camera): kept as long
  // as alerts.
  public static final TopicDescriptor<String, Digest> DIGESTS =
      delete("vlm.digests", Digest.class, Digest::getCameraId, Duration.ofDays(30));

  // Operator verdicts on alert events: compacted by event id so the latest verdict per event is
  // what counts, and it is kept as long as anyone wants the rule figures.
  public static final TopicDescriptor<String, Feedback> FEEDBACK =
      compact("vlm.feedback", Feedback.class, Feedback::getEventId);

  /** The dead-letter topic of a stage. */
  public static TopicDescriptor<byte[], DeadLetter> dlq(String stage) {
    if (!STAGES.contains(stage)) {
      throw new IllegalArgumentException(
          "Unknown stage '" + stage + "', expected one of " + STAGES);
    }
    return new TopicDescriptor<>(
        "dlq." + stage,
        Serdes.ByteArray(),
        new AvroSerde<>(DeadLetter.class),
        1,
        CleanupPolicy.DELETE,
        Duration.ofDays(14),
        Topics::originalKey,
        DLQ_MAX_BYTES);
  }

  /** A dead letter keeps the key of the record it replaces. */
  private static byte[] originalKey(DeadLetter d) {
    if (d.getOriginalKey() == null) {
      return null;
    }
    ByteBuffer b = d.getOriginalKey().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * The largest record any topic accepts: what brokers need as {@code message.max.bytes} and {@code
   * replica.fetch.max.bytes}, and consumers of several topics as fetch sizes.
   */
  public static int largestMessageBytes() {
    return all().stream().mapToInt(TopicDescriptor::maxMessageBytes).max().orElseThrow();
  }

  /**
   * Broker settings every Streamsight broker needs (embedded, local cluster, Kubernetes), derived
   * from the topics: a broker's own default (1 MiB) would reject frames that producers send.
   */
  public static Map<String, String> brokerMessageSizeConfigs() {
    String largest = Integer.toString(largestMessageBytes());
    return Map.of("message.max.bytes", largest, "replica.fetch.max.bytes", largest);
  }

  /**
   * Consumer settings for reading {@code topics}: a partition fetch holds at least the largest
   * record (Kafka returns an oversized first batch anyway, but one at a time and with a warning).
   */
  public static Map<String, Object> consumerFetchConfigs(TopicDescriptor<?, ?>... topics) {
    int largest =
        java.util.Arrays.stream(topics)
            .mapToInt(TopicDescriptor::maxMessageBytes)
            .max()
            .orElseThrow();
    // fetch.max.bytes must hold a few partitions' worth (Kafka's default is 50 MiB).
    return Map.of(
        "max.partition.fetch.bytes", largest, "fetch.max.bytes", Math.max(50 << 20, 4 * largest));
  }

  /** All topics, data topics first then the dead-letter topics. */
  public static List<TopicDescriptor<?, ?>> all() {
    List<TopicDescriptor<?, ?>> data =
        List.of(
            FRAMES, KEYFRAMES, STATUS, RULES, SUMMARIES, ALERTS, QUERIES, ANSWERS, DIGESTS,
            FEEDBACK);
    return java.util.stream.Stream.concat(data.stream(), STAGES.stream().map(Topics::dlq)).toList();
  }

  /** Looks a topic up by name; {@code dlq.*} included. */
  public static TopicDescriptor<?, ?> byName(String name) {
    TopicDescriptor<?, ?> t = BY_NAME.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "Unknown topic '" + name + "', expected one of " + BY_NAME.keySet());
    }
    return t;
  }

  /** The descriptor of a topic name, if it is one of ours (tests and tenants may rename topics). */
  public static java.util.Optional<TopicDescriptor<?, ?>> find(String name) {
    return java.util.Optional.ofNullable(BY_NAME.get(name));
  }

  private static final Map<String, TopicDescriptor<?, ?>> BY_NAME =
      all().stream()
          .collect(
              Collectors.toMap(
                  TopicDescriptor::name,
                  Function.identity(),
                  (a, b) -> a,
                  java.util.LinkedHashMap::new));

  private static <V extends org.apache.avro.specific.SpecificRecord>
      TopicDescriptor<String, V> delete(
          String name, Class<V> type, Function<V, String> key, Duration retention) {
    return delete(name, type, key, retention, TopicDescriptor.DEFAULT_MAX_MESSAGE_BYTES);
  }

  private static <V extends org.apache.avro.specific.SpecificRecord>
      TopicDescriptor<String, V> delete(
          String name,
          Class<V> type,
          Function<V, String> key,
          Duration retention,
          int maxMessageBytes) {
    return new TopicDescriptor<>(
        name,
        stringSerde(),
        new AvroSerde<>(type),
        DEFAULT_PARTITIONS,
        CleanupPolicy.DELETE,
        retention,
        key,
        maxMessageBytes);
  }

  private static <V extends org.apache.avro.specific.SpecificRecord>
      TopicDescriptor<String, V> compact(String name, Class<V> type, Function<V, String> key) {
    return new TopicDescriptor<>(
        name,
        stringSerde(),
        new AvroSerde<>(type),
        DEFAULT_PARTITIONS,
        CleanupPolicy.COMPACT,
        null,
        key,
        TopicDescriptor.DEFAULT_MAX_MESSAGE_BYTES);
  }

  private static Serde<String> stringSerde() {
    return Serdes.String();
  }
}
