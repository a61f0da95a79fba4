package io.streamsight.sampler;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The sampler as one running unit, as the CLI and the demo start it: the Kafka Streams topology
 * and, when {@code questions.enabled}, the {@link QuestionWatch} that feeds it live questions.
 * Owning both here means every caller starts and stops them together (the watch's consumer is
 * closed with the app). Callers attach listeners and handlers through {@link #streams()} before
 * {@link #start()}.
 */
public final class SamplerApp implements AutoCloseable {
  private final KafkaStreams streams;
  private final QuestionWatch questions;

  public SamplerApp(String bootstrap, Path stateDir, SamplerConfig config) {
    this(bootstrap, stateDir, config, SamplerMetrics.NONE);
  }

  /** Counting into {@code metrics} (see {@link SamplerMetrics#registerStreams} for Streams'). */
  public SamplerApp(String bootstrap, Path stateDir, SamplerConfig config, SamplerMetrics metrics) {
    questions =
        config.questions().enabled() ? QuestionWatch.create(bootstrap, config.questions()) : null;
    try {
      streams =
          new KafkaStreams(
              SamplerTopology.buildTopology(
                  config, questions == null ? PendingQuestions.NONE : questions, metrics),
              SamplerTopology.streamsConfig(bootstrap, stateDir, config));
    } catch (RuntimeException e) {
      if (questions != null) {
        questions.close();
      }
      throw e;
    }
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** Starts reading questions, then the Streams app. */
  public void start() {
    if (questions != null) {
      questions.start();
    }
    streams.start();
  }

  /** Closes the Streams app (waiting up to {@code timeout}), then the question watch. */
  public void close(Duration timeout) {
    try {
      streams.close(timeout);
    } finally {
      if (questions != null) {
        questions.close();
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
