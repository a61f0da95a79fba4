package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.vlm.operator.images.FrameFetcher;
import io.streamsight.vlm.operator.types.KeyframeIn;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.operator.types.RuleChange;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * The job's inputs and outputs (Flink Source/Sink v2), injected so tests can plug their own, and
 * how inference reads back a keyframe image its TaskManager does not hold ({@code frames}: from the
 * keyframes' Kafka cluster in production; {@link FrameFetcher#none()} for sources that are not
 * Kafka, whose deserializer fills the cache).
 */
public record OperatorIo(
    Source<KeyframeIn, ?, ?> keyframes,
    Source<RuleChange, ?, ?> rules,
    Source<QueryIn, ?, ?> queries,
    Sink<Summary> summaries,
    Sink<Alert> alerts,
    Sink<Answer> answers,
    Sink<DeadLetter> deadLetters,
    Sink<Digest> digests,
    FrameFetcher.Factory frames) {
  public OperatorIo {
    Objects.requireNonNull(keyframes, "keyframes");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(summaries, "summaries");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(answers, "answers");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(digests, "digests");
    Objects.requireNonNull(frames, "frames");
  }
}
