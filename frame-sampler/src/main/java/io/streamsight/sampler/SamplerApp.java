package io.streamsight.sampler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The sampler as one running unit, wired once for every caller (the CLI's {@code streamsight
 * sampler}, which the local cluster runs as a process, the demo, the pipeline tests): the Kafka
 * Streams topology, its {@link OversizedRecords} shared with the production-exception handler, the
 * stream-thread exception handler that goes with them, and, when {@code questions.enabled}, the
 * {@link QuestionWatch} that feeds it live questions. The Streams client is not handed out: Kafka
 * Streams keeps only the last uncaught-exception handler set, and a caller that set its own would
 * turn a dead-lettered oversized record into a shutdown again.
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
    OversizedRecords oversized = new OversizedRecords();
    try {
      streams =
          new KafkaStreams(
              SamplerTopology.buildTopology(
                  config,
                  questions == null ? PendingQuestions.NONE : questions,
                  oversized,
                  metrics),
              SamplerTopology.streamsConfig(bootstrap, stateDir, config, oversized));
      streams.setUncaughtExceptionHandler(
          oversized.uncaughtExceptionHandler(config.applicationId()));
    } catch (RuntimeException e) {
      if (questions != null) {
        questions.close();
      }
      throw e;
    }
  }

  /** Before {@link #start()}: called on every state change of the Streams client. */
  public void setStateListener(KafkaStreams.StateListener listener) {
    streams.setStateListener(listener);
  }

  /** Kafka Streams' own metrics (the metrics endpoint exposes a few: {@link SamplerMetrics}). */
  public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric>
      metrics() {
    return streams.metrics();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The names of the live stream threads (a replaced thread's successor has a new name). */
  public Set<String> streamThreads() {
    return streams.metadataForLocalThreads().stream()
        .map(ThreadMetadata::threadName)
        .collect(Collectors.toSet());
  }

  /** Starts reading questions, then the Streams app. */
  public void start() {
    if (questions != null) {
      questions.start();
    }
    streams.start();
  }

  /**
   * Closes the Streams app (waiting up to {@code timeout}), leaving the consumer group so the other
   * instances take this one's cameras at once rather than after the session timeout; then the
   * question watch.
   */
  public void close(Duration timeout) {
    try {
      streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(timeout));
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
