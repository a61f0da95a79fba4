package io.streamsight.schemas.topics;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.AlertRule;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
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
      List.of("ingest", "frame-sampler", "vlm-operator", "sinks");

  private static final int DEFAULT_PARTITIONS = 4;

  // Frames are big and only useful while fresh: a short retention bounds the disk they hold.
  public static final TopicDescriptor<String, Frame> FRAMES =
      delete("cameras.frames", Frame.class, Frame::getCameraId, Duration.ofHours(1));
  public static final TopicDescriptor<String, Keyframe> KEYFRAMES =
      delete("cameras.keyframes", Keyframe.class, Keyframe::getCameraId, Duration.ofDays(1));
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
        Topics::originalKey);
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

  /** All topics, data topics first then the dead-letter topics. */
  public static List<TopicDescriptor<?, ?>> all() {
    List<TopicDescriptor<?, ?>> data =
        List.of(FRAMES, KEYFRAMES, STATUS, RULES, SUMMARIES, ALERTS, QUERIES, ANSWERS, DIGESTS);
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
    return new TopicDescriptor<>(
        name,
        stringSerde(),
        new AvroSerde<>(type),
        DEFAULT_PARTITIONS,
        CleanupPolicy.DELETE,
        retention,
        key);
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
        key);
  }

  private static Serde<String> stringSerde() {
    return Serdes.String();
  }
}
