package io.streamsight.ingest;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.schemas.avro.CameraStatus;
import io.streamsight.schemas.avro.Frame;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.kafka.CommittedRecords;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Runs ingest against the test broker on fresh topics and reads back what it published. */
final class IngestHarness implements AutoCloseable {
  final KafkaBroker broker;
  final String framesTopic = "it-frames-" + UUID.randomUUID();
  final String statusTopic = "it-status-" + UUID.randomUUID();
  final KafkaPublisher publisher;
  private boolean publisherClosed;

  IngestHarness(KafkaBroker broker) throws Exception {
    this.broker = broker;
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(framesTopic, 1, (short) 1), new NewTopic(statusTopic, 1, (short) 1)))
          .all()
          .get();
    }
    this.publisher =
        new KafkaPublisher(broker.bootstrapServers(), framesTopic, statusTopic, 16, Map.of());
  }

  IngestService service(List<CameraConfig> cameras, Backoff backoff) {
    return new IngestService(cameras, publisher::forCamera, backoff);
  }

  /** Every frame published; call once the service has stopped. */
  List<ConsumerRecord<String, Frame>> frames() {
    return read(framesTopic, Topics.FRAMES.valueSerde().deserializer());
  }

  /** Every status published; call once the service has stopped. */
  List<ConsumerRecord<String, CameraStatus>> statuses() {
    return read(statusTopic, Topics.STATUS.valueSerde().deserializer());
  }

  /**
   * Closes the publisher first: that sends whatever it still holds, so the topic then has all the
   * stopped service published and reading to its end needs no quiet period.
   */
  private <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> values) {
    closePublisher();
    return CommittedRecords.read(
        broker.bootstrapServers(), topic, new StringDeserializer(), values);
  }

  private void closePublisher() {
    if (!publisherClosed) {
      publisherClosed = true;
      publisher.close();
    }
  }

  @Override
  public void close() {
    closePublisher();
  }
}
