package io.streamsight.sampler;

import io.streamsight.schemas.avro.DeadLetter;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.avro.Keyframe;
import io.streamsight.schemas.records.Progress;
import io.streamsight.schemas.topics.TopicDescriptor;
import io.streamsight.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The production topology and config in a {@link TopologyTestDriver}, with typed topics. */
final class SamplerDriver implements AutoCloseable {
  final TopologyTestDriver driver;
  final TestInputTopic<String, Frame> frames;
  final TestInputTopic<byte[], byte[]> rawFrames;
  final TestOutputTopic<String, Keyframe> keyframes;
  final TestOutputTopic<byte[], DeadLetter> deadLetters;

  SamplerDriver(SamplerConfig config, Path stateDir) {
    this(config, stateDir, PendingQuestions.NONE);
  }

  /** With live questions from {@code questions} (a {@link QuestionBook} on a test clock). */
  SamplerDriver(SamplerConfig config, Path stateDir, PendingQuestions questions) {
    this(config, stateDir, questions, SamplerMetrics.NONE);
  }

  /** Counting into {@code metrics}. */
  SamplerDriver(
      SamplerConfig config, Path stateDir, PendingQuestions questions, SamplerMetrics metrics) {
    OversizedRecords oversized = new OversizedRecords();
    driver =
        new TopologyTestDriver(
            SamplerTopology.buildTopology(config, questions, oversized, metrics),
            SamplerTopology.streamsConfig("unused:9092", stateDir, config, oversized));
    frames =
        driver.createInputTopic(
            Topics.FRAMES.name(),
            Topics.FRAMES.keySerde().serializer(),
            Topics.FRAMES.valueSerde().serializer());
    rawFrames =
        driver.createInputTopic(
            Topics.FRAMES.name(), new ByteArraySerializer(), new ByteArraySerializer());
    keyframes =
        driver.createOutputTopic(
            Topics.KEYFRAMES.name(),
            Topics.KEYFRAMES.keySerde().deserializer(),
            Topics.KEYFRAMES.valueSerde().deserializer());
    TopicDescriptor<byte[], DeadLetter> dlq = Topics.dlq("frame-sampler");
    deadLetters =
        driver.createOutputTopic(
            dlq.name(), dlq.keySerde().deserializer(), dlq.valueSerde().deserializer());
  }

  void send(Frame f) {
    frames.pipeInput(f.getCameraId(), f);
  }

  /** The records with an image, in order; progress records are read and dropped. */
  List<Keyframe> keyframes() {
    return all().stream().filter(k -> !Progress.is(k)).toList();
  }

  /** Every record written to the keyframes topic since the last read, progress included. */
  List<Keyframe> all() {
    return keyframes.readValuesToList();
  }

  @Override
  public void close() {
    driver.close();
  }
}
