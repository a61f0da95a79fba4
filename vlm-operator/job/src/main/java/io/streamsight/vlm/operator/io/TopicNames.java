package io.streamsight.vlm.operator.io;

import io.streamsight.schemas.topics.Topics;
import java.io.Serializable;
import java.util.List;

/**
 * The topic names the operator reads and writes. Production uses {@link #standard()}; tests and
 * side-by-side runs use {@link #withSuffix} so two jobs on one broker never share data.
 */
public record TopicNames(
    String keyframes,
    String rules,
    String queries,
    String summaries,
    String alerts,
    String answers,
    String deadLetters,
    String digests)
    implements Serializable {

  public static TopicNames standard() {
    return new TopicNames(
        Topics.KEYFRAMES.name(),
        Topics.RULES.name(),
        Topics.QUERIES.name(),
        Topics.SUMMARIES.name(),
        Topics.ALERTS.name(),
        Topics.ANSWERS.name(),
        Topics.dlq(KafkaOperatorIo.STAGE).name(),
        Topics.DIGESTS.name());
  }

  public TopicNames withSuffix(String suffix) {
    return new TopicNames(
        keyframes + suffix,
        rules + suffix,
        queries + suffix,
        summaries + suffix,
        alerts + suffix,
        answers + suffix,
        deadLetters + suffix,
        digests + suffix);
  }

  public List<String> all() {
    return List.of(keyframes, rules, queries, summaries, alerts, answers, deadLetters, digests);
  }
}
